// Secrets in what a run shows: a value that reaches a secret parameter is masked in the
// loop label, the task name, errors and changes — wherever a result carries it, so the
// terminal, the JSON and HTML reports and --stats (all made from results) never see it;
// no_log hides a task's output and keeps its status. The engine runs with a scripted
// transport (a local /bin/sh per script) and two tiny modules with secret parameters.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { runPlays } from '../../src/engine/host-run.ts';
import type { TaskResult } from '../../src/engine/results.ts';
import { defineTask, NO_CHANGE, type TaskModule } from '../../src/module.ts';
import { InputError } from '../../src/errors.ts';
import type { Host } from '../../src/inventory/index.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import type { RunOptions, RunResult, Transport } from '../../src/transport/types.ts';

/** pw: a user's password hash (secret, as `user`'s), kept in a file; `fail` makes its command fail printing the hash. */
const pw = defineTask({
  name: 'pw',
  summary: 'a password hash',
  example: '',
  params: z.object({ name: z.string().regex(/^\w+$/), hash: z.string(), fail: z.boolean().default(false) }).strict(),
  secrets: ['hash'],
  probe: (p) => sh`cat -- "$HOST_DIR"/${p.name} 2>/dev/null; true`,
  plan: (p, probed) =>
    probed.stdout === p.hash
      ? NO_CHANGE
      : {
          changes: [
            { subject: `${p.name} password`, kind: 'set', secret: true },
            { subject: `${p.name} file`, kind: 'content', before: null, after: `hash of ${p.name}: ${p.hash}\n` },
          ],
          commands: [p.fail ? sh`echo ${`cannot set ${p.hash}`} >&2; exit 3` : sh`printf %s ${p.hash} > "$HOST_DIR"/${p.name}`],
        },
});

/** answer: a value that is secret only when `private` says so (as debconf's password answers). */
const answer = defineTask({
  name: 'answer',
  summary: 'an answer',
  example: '',
  params: z.object({ key: z.string().regex(/^\w+$/), value: z.string(), private: z.boolean().default(false) }).strict(),
  secretValues: (p) => (p.private ? [p.value] : []),
  probe: () => sh`true`,
  plan: (p) => ({ changes: [{ subject: p.key, kind: 'set', before: null, after: p.value, secret: p.private }], commands: [sh`true`] }),
});

const MODULES = new Map<string, TaskModule>([pw, answer].map((m) => [m.name, m as TaskModule]));

class ShTransport implements Transport {
  readonly stats = { roundTrips: 0, bytesSent: 0, bytesReceived: 0, connectMs: 0 };
  constructor(private readonly dir: string) {}
  async connect(): Promise<void> {}
  async run(script: ShellText, _options: RunOptions = {}): Promise<RunResult> {
    this.stats.roundTrips++;
    const r = spawnSync('/bin/sh', ['-s'], { input: script.text, env: { ...process.env, HOST_DIR: this.dir } });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  }
  abort(): void {}
  async close(): Promise<void> {}
}

const H1 = '$6$salt$AAAAbbbbCCCCddddEEEEffffGGGGhhhhIIIIjjjj';
const H2 = '$6$pepper$zzzzYYYYxxxxWWWWvvvvUUUUttttSSSS';
const VARS = `  vars:
    users:
      - { name: alice, hash: "${H1}", hide: true }
      - { name: bob, hash: "${H2}", hide: false }
`;

async function run(tasks: string, options: { check?: boolean; vars?: string } = {}): Promise<TaskResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'tend-secrets-'));
  const file = join(root, 'playbook.yml');
  writeFileSync(file, `- hosts: all\n${options.vars ?? VARS}  tasks:\n${tasks}`);
  const playbook = loadPlaybook(file, MODULES);
  const host: Host = { name: 'h1', connection: 'ssh', address: 'h1', port: 22, user: 'root', groups: ['all'], vars: { inventory_hostname: 'h1' } };
  const started: string[] = [];
  const r = await runPlays(host, playbook.plays, new ShTransport(root), { check: options.check ?? false, extraVars: {} }, {
    taskStarted: (t) => started.push(t.name),
    taskDone: () => {},
  });
  // What the live view was told counts as shown too.
  for (const name of started) for (const h of [H1, H2]) assert.ok(!name.includes(h), `a started task was named with a hash: ${name}`);
  return r.tasks;
}

/** No piece of a hash (8 characters or more) anywhere in what results say. */
function assertNoHash(results: TaskResult[]): void {
  const text = JSON.stringify(results);
  for (const h of [H1, H2]) {
    for (let i = 0; i + 8 <= h.length; i++) assert.ok(!text.includes(h.slice(i, i + 8)), `'${h.slice(i, i + 8)}' of a hash is shown: ${text}`);
  }
}

describe('loop labels never show a value that reaches a secret parameter', () => {
  it('the default label (the item) masks the hash, keeps the rest, and is cut short only after masking', async () => {
    const results = await run('    - pw: { name: "{{ item.name }}", hash: "{{ item.hash }}" }\n      loop: "{{ users }}"\n');
    assert.deepEqual(
      results.map((t) => [t.status, t.item]),
      [
        ['changed', '{"name":"alice","hash":"(secret)","hide":true}'],
        ['changed', '{"name":"bob","hash":"(secret)","hide":false}'],
      ],
    );
    assertNoHash(results);
  });

  it('an item longer than a label shows is cut after masking: no prefix of the hash', async () => {
    const vars = `  vars:\n    users:\n      - { name: alice, comment: "${'x'.repeat(16)}", hash: "${H1}" }\n`;
    const results = await run('    - pw: { name: "{{ item.name }}", hash: "{{ item.hash }}" }\n      loop: "{{ users }}"\n', { vars });
    assert.match(results[0]!.item!, /^\{"name":"alice","comment":"x{16}","hash":"\(sec…$/);
    assertNoHash(results);
  });

  it('loop_control.label, the task name, a change of another kind and a failure all show the mask', async () => {
    const results = await run(
      '    - name: "set {{ item.hash }} for {{ item.name }}"\n' +
        '      pw: { name: "{{ item.name }}", hash: "{{ item.hash }}", fail: "{{ item.name == \'bob\' }}" }\n' +
        '      loop: "{{ users }}"\n      loop_control: { label: "{{ item.name }} ({{ item.hash }})" }\n      ignore_errors: true\n',
    );
    assert.deepEqual(
      results.map((t) => [t.name, t.item, t.status]),
      [
        ['set (secret) for alice', 'alice ((secret))', 'changed'],
        ['set (secret) for bob', 'bob ((secret))', 'failed'],
      ],
    );
    assert.equal(results[0]!.changes[1]!.after, 'hash of alice: (secret)\n');
    assert.equal(results[1]!.error, 'exit 3: (output hidden: the task has secret values)');
    assertNoHash(results);
  });

  it('labels that come out the same once masked get their place in the loop (reports tell instances apart by label)', async () => {
    const results = await run('    - pw: { name: "{{ item.name }}", hash: "{{ item.hash }}" }\n      loop: "{{ users }}"\n      loop_control: { label: "{{ item.hash }}" }\n');
    assert.deepEqual(
      results.map((t) => t.item),
      ['(secret) #1', '(secret) #2'],
    );
  });

  it('a hash joined from parts of the item, or changed in case by a filter: each part is masked', async () => {
    const vars = '  vars:\n    users:\n      - { name: carol, head: "$6$abcdef", tail: "GHIJKLmnop" }\n';
    const results = await run('    - pw: { name: "{{ item.name }}", hash: "{{ item.head }}{{ item.tail | upper }}" }\n      loop: "{{ users }}"\n', { vars });
    assert.equal(results[0]!.item, '{"name":"carol","head":"(secret)","tail":"(secret)"}');
  });

  it('an item skipped by its condition is masked all the same', async () => {
    const results = await run('    - pw: { name: "{{ item.name }}", hash: "{{ item.hash }}" }\n      loop: "{{ users }}"\n      when: item.name == "bob"\n');
    assert.deepEqual(
      results.map((t) => t.status),
      ['skipped', 'changed'],
    );
    assertNoHash(results);
  });

  it('a value secret only sometimes (secretValues) is masked only when it is', async () => {
    const vars = '  vars:\n    answers:\n      - { key: k1, value: "open-value", private: false }\n      - { key: k2, value: "closed-value", private: true }\n';
    const results = await run('    - answer: { key: "{{ item.key }}", value: "{{ item.value }}", private: "{{ item.private }}" }\n      loop: "{{ answers }}"\n      loop_control: { label: "{{ item.key }}={{ item.value }}" }\n', { vars });
    assert.deepEqual(
      results.map((t) => t.item),
      ['k1=open-value', 'k2=(secret)'],
    );
  });

  it('parameters that do not render for an item: which values are secret cannot be told, so the label is masked whole', async () => {
    const vars = '  vars:\n    users:\n      - { name: dave, secret_hash_is_missing: "look-at-me" }\n';
    const results = await run('    - name: "set {{ item.name }}"\n      pw: { name: "{{ item.name }}", hash: "{{ item.hash }}" }\n      loop: "{{ users }}"\n', { vars });
    assert.deepEqual([results[0]!.status, results[0]!.item, results[0]!.name], ['failed', '(secret)', 'set {{ item.name }}']);
  });

  it('a label that cannot be rendered fails its instance (as in Ansible), and nothing of it runs', async () => {
    const results = await run('    - pw: { name: "{{ item.name }}", hash: "{{ item.hash }}" }\n      loop: "{{ users }}"\n      loop_control: { label: "{{ item.nosuch.deeper }}" }\n      ignore_errors: true\n');
    assert.deepEqual(
      results.map((t) => t.status),
      ['failed', 'failed'],
    );
    assert.match(results[0]!.error!, /^loop_control\.label: /);
    assert.deepEqual(results[0]!.changes, []);
    assertNoHash(results);
  });
});

describe('no_log', () => {
  it('hides labels, changed values and the item in the name; the status stays', async () => {
    const results = await run('    - name: "set {{ item.name }}"\n      pw: { name: "{{ item.name }}", hash: "{{ item.hash }}" }\n      loop: "{{ users }}"\n      no_log: true\n');
    assert.deepEqual(
      results.map((t) => [t.name, t.item, t.status, t.changes]),
      [1, 2].map((k) => ['set {{ item.name }}', `(hidden: no_log) #${k}`, 'changed', [{ subject: '(output hidden: no_log)', kind: 'run', reason: '2 changes' }]]),
    );
    assertNoHash(results);
  });

  it('hides a failure\'s output, in check mode too; a template decides per item', async () => {
    const results = await run(
      '    - pw: { name: "{{ item.name }}", hash: "{{ item.hash }}", fail: true }\n      loop: "{{ users }}"\n      no_log: "{{ item.hide }}"\n      ignore_errors: true\n',
    );
    assert.deepEqual(
      results.map((t) => [t.item, t.status, t.error]),
      [
        ['(hidden: no_log)', 'failed', '(output hidden: no_log)'],
        ['{"name":"bob","hash":"(secret)","hide":false}', 'failed', 'exit 3: (output hidden: the task has secret values)'],
      ],
    );
    const checked = await run('    - answer: { key: k, value: "plain" }\n      no_log: true\n', { check: true });
    assert.deepEqual(
      checked.map((t) => [t.status, t.changes]),
      [['would-change', [{ subject: '(output hidden: no_log)', kind: 'run', reason: '1 change' }]]],
    );
  });

  it('no_log: false shows everything; a no_log that cannot be read fails the task and masks its label', async () => {
    const shown = await run('    - answer: { key: k, value: "plain" }\n      no_log: false\n');
    assert.deepEqual(shown[0]!.changes, [{ subject: 'k', kind: 'set', before: null, after: 'plain', secret: false }]);
    const unreadable = await run('    - pw: { name: "{{ item.name }}", hash: "{{ item.hash }}" }\n      loop: "{{ users }}"\n      no_log: "{{ nosuch }}"\n      ignore_errors: true\n');
    assert.equal(unreadable[0]!.status, 'failed');
    assert.match(unreadable[0]!.error!, /^no_log: .*nosuch/);
    assert.deepEqual(
      unreadable.map((t) => t.item),
      ['(secret) #1', '(secret) #2'],
    );
  });

  it('is read with the playbook: a boolean or one template; anything else is an input error with its location', () => {
    const load = (v: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'tend-nolog-'));
      const file = join(dir, 'p.yml');
      writeFileSync(file, `- hosts: all\n  tasks:\n    - answer: { key: k, value: v }\n      no_log: ${v}\n`);
      return loadPlaybook(file, MODULES);
    };
    assert.equal(load('true').plays[0]!.tasks[0]!.noLog, true);
    assert.equal(load('"{{ hide | default(true) }}"').plays[0]!.tasks[0]!.noLog, '{{ hide | default(true) }}');
    const located = (pattern: RegExp) => (e: unknown) => e instanceof InputError && pattern.test(e.format());
    assert.throws(() => load('"sometimes"'), located(/p\.yml:4:\d+: .*no_log: true, false, or one \{\{ expression \}\}$/));
    assert.throws(() => load('"{{ hide ==== 1 }}"'), located(/p\.yml:4:\d+: no_log: /));
  });
});
