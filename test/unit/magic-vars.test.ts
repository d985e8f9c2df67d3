// Ansible's magic variables, compared with what ansible-core 2.14 printed for the same
// inventory and play (test/conformance/magic/, re-recorded by its record-magic.py): a
// play over web:db with serial: 2 and a role, each expression of expressions.json shown
// per host as JSON. tend runs the same play through its engine (rollout, run, host-run,
// host-lookup) against hosts reached by a transport that runs the scripts in a local sh;
// a test module writes each rendered text into the host's directory. Lookups in tasks
// find files where Ansible's do: the role's files/, then the playbook's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { newRunMagic } from '../../src/engine/magic-vars.ts';
import { runRollout } from '../../src/engine/rollout.ts';
import type { RunEvents } from '../../src/engine/run.ts';
import { loadInventory, selectHosts, type Host } from '../../src/inventory/index.ts';
import { defineTask, type TaskModule } from '../../src/module.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { OMIT_TOKEN, removeOmit } from '../../src/playbook/omit.ts';
import type { Play } from '../../src/playbook/plays.ts';
import { BUILTIN_VARIABLES } from '../../src/playbook/variables.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import type { RunResult, Transport } from '../../src/transport/types.ts';

const HERE = join(import.meta.dirname, '../conformance/magic');
const EXPRESSIONS = JSON.parse(readFileSync(join(HERE, 'expressions.json'), 'utf8')) as { play: string[]; role: string[] };
const EXPECTED = JSON.parse(readFileSync(join(HERE, 'expected.json'), 'utf8')) as Record<string, Record<string, unknown>>;

/** show: writes its text into the host's directory, in the file named by its key. */
const show = defineTask({
  name: 'show',
  summary: 'records a rendered text',
  example: '',
  params: z.object({ key: z.string().regex(/^\w+$/), text: z.string() }).strict(),
  probe: () => sh`true`,
  plan: (p) => ({ changes: [{ subject: p.key, kind: 'run' }], commands: [sh`printf %s ${p.text} > "$HOST_DIR"/${p.key}`] }),
});

class LocalShell implements Transport {
  readonly stats = { roundTrips: 0, bytesSent: 0, bytesReceived: 0, connectMs: 0 };
  constructor(private readonly dir: string) {}
  async connect(): Promise<void> {}
  async run(script: ShellText): Promise<RunResult> {
    const r = spawnSync('/bin/sh', ['-s'], { input: script.text, env: { ...process.env, HOST_DIR: this.dir } });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  }
  abort(): void {}
  async close(): Promise<void> {}
}

const quiet: RunEvents = { hostStarted() {}, taskStarted() {}, taskDone() {}, hostDone() {} };
const task = (key: string, expr: string) => ({ name: expr, show: { key, text: `{{ (${expr}) | to_json }}` } });

/** Runs the recorded play with tend; per host, each expression's value. */
async function tendSees(): Promise<Record<string, Record<string, unknown>>> {
  const root = mkdtempSync(join(tmpdir(), 'tend-magic-'));
  copyFileSync(join(HERE, 'inventory.ini'), join(root, 'inventory.ini'));
  mkdirSync(join(root, 'roles/r1/tasks'), { recursive: true });
  // Files for lookups, as the recorder made them: the playbook's files/, the role's files/.
  mkdirSync(join(root, 'files'));
  mkdirSync(join(root, 'roles/r1/files'));
  writeFileSync(join(root, 'files/greeting.txt'), 'hello from the playbook\n');
  writeFileSync(join(root, 'roles/r1/files/role.txt'), 'hello from the role\n');
  writeFileSync(join(root, 'roles/r1/tasks/main.yml'), JSON.stringify(EXPRESSIONS.role.map((e, i) => task(`r${i}`, e))));
  const playbookFile = join(root, 'playbook.yml');
  const play = { hosts: 'web:db', gather_facts: false, serial: 2, roles: ['r1'], tasks: EXPRESSIONS.play.map((e, i) => task(`p${i}`, e)) };
  writeFileSync(playbookFile, JSON.stringify([play]));
  const playbook = loadPlaybook(playbookFile, new Map([['show', show as TaskModule]]));
  const inventory = loadInventory(join(root, 'inventory.ini'));
  const work = new Map<Host, Play[]>();
  const dirs = new Map<string, string>();
  for (const host of selectHosts(inventory, undefined, 'web:db')) {
    work.set(host, playbook.plays);
    dirs.set(host.name, mkdtempSync(join(root, 'host-')));
  }
  const playHosts = new Map(playbook.plays.map((p) => [p, [...work.keys()].map((h) => h.name)]));
  const result = await runRollout(
    playbook.plays,
    work,
    {
      check: false,
      extraVars: {},
      forks: 5,
      knownHostsFiles: [],
      acceptNewHostKeys: false,
      connectTimeoutMs: 1000,
      transportFor: (h) => new LocalShell(dirs.get(h.name)!),
      magic: newRunMagic({ inventory, playbookFile, check: false, forks: 5, runTags: [], skipTags: [], extraVars: {}, playHosts }),
    },
    quiet,
  );
  assert.match(readFileSync(join(root, 'creds/pw'), 'utf8'), /^\d{8}\n$/, "the password lookup's file is beside the playbook");
  for (const h of result.hosts) assert.equal(h.status, 'changed', `${h.host}: ${JSON.stringify(h.tasks.find((t) => t.error)?.error ?? h.error)}`);
  const seen: Record<string, Record<string, unknown>> = {};
  for (const [name, dir] of dirs) {
    const read = (key: string) => JSON.parse(readFileSync(join(dir, key), 'utf8').replaceAll(root, '<dir>')) as unknown;
    seen[name] = Object.fromEntries([...EXPRESSIONS.play.map((e, i) => [e, read(`p${i}`)]), ...EXPRESSIONS.role.map((e, i) => [`r1 : ${e}`, read(`r${i}`)])]);
  }
  return seen;
}

describe('magic variables, as ansible-core 2.14 shows them', () => {
  it('every recorded expression on every host equals what Ansible printed', async () => {
    const seen = await tendSees();
    assert.deepEqual(Object.keys(seen).sort(), Object.keys(EXPECTED).sort());
    let compared = 0;
    for (const [host, values] of Object.entries(EXPECTED)) {
      for (const [expr, value] of Object.entries(values)) {
        assert.deepEqual(seen[host]![expr], value, `${host}: ${expr}`);
        compared++;
      }
    }
    assert.equal(compared, 3 * (EXPRESSIONS.play.length + EXPRESSIONS.role.length));
  });

  it('validate knows every name the engine defines, and only those', () => {
    const names = new Set(EXPRESSIONS.play.concat(EXPRESSIONS.role).flatMap((e) => /^[a-z_]+$/.test(e) ? [e] : []));
    for (const n of names) assert.ok(BUILTIN_VARIABLES.includes(n), n);
    assert.equal(new Set(BUILTIN_VARIABLES).size, BUILTIN_VARIABLES.length);
  });

  it('omit drops a parameter from its mapping at any depth, and a list item stays', () => {
    const out = removeOmit({ a: OMIT_TOKEN, b: { c: OMIT_TOKEN, d: 1 }, e: [OMIT_TOKEN, { f: OMIT_TOKEN, g: 2 }], h: 'x' });
    assert.deepEqual(out, { b: { d: 1 }, e: [OMIT_TOKEN, { g: 2 }], h: 'x' });
  });
});
