// The engine without a network: hosts are directories, reached by a scripted transport
// that runs each script in a local /bin/sh (so the framing and the apply scripts are
// real) and can fail on cue — drop the connection, time out, be interrupted. Tasks use
// two tiny modules defined here, so what is tested is the engine, not a module.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { RunControl } from '../../src/engine/control.ts';
import { exitCode, type HostResult, type RunResult as FleetResult, type TaskResult } from '../../src/engine/results.ts';
import { runFleet, type RunEvents } from '../../src/engine/run.ts';
import { defineTask, NO_CHANGE, ProbeFailed, type TaskModule } from '../../src/module.ts';
import type { Host } from '../../src/inventory/index.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import command from '../../tasks/builtin/command.ts';
import shell from '../../tasks/builtin/shell.ts';
import { TIMED_OUT, UnreachableError, type RunOptions, type RunResult, type Transport } from '../../src/transport/types.ts';

/** kv: the file KEY in the host's directory holds VALUE. */
const kv = defineTask({
  name: 'kv',
  summary: 'a key has a value',
  example: '',
  params: z.object({ key: z.string().regex(/^\w+$/), value: z.string(), fail: z.boolean().default(false) }).strict(),
  probe: (p) => sh`cat -- "$HOST_DIR"/${p.key} 2>/dev/null; true`,
  plan: (p, probed) =>
    probed.stdout === p.value
      ? NO_CHANGE
      : {
          changes: [{ subject: p.key, kind: 'set', before: probed.stdout || null, after: p.value }],
          commands: [p.fail ? sh`echo 'disk full' >&2; exit 3` : sh`printf %s ${p.value} > "$HOST_DIR"/${p.key}`],
        },
});

/** needs: reads a key that an earlier task makes; cannot read it before (ProbeFailed). */
const needs = defineTask({
  name: 'needs',
  summary: 'a key exists',
  example: '',
  params: z.object({ key: z.string().regex(/^\w+$/) }).strict(),
  probe: (p) => sh`[ -e "$HOST_DIR"/${p.key} ] && echo yes || echo no`,
  plan: (p, probed) => {
    if (probed.stdout.trim() !== 'yes') throw new ProbeFailed(`${p.key} does not exist yet`);
    return NO_CHANGE;
  },
});

/** log: appends a line to the host's log every time it runs (a handler's effect). */
const log = defineTask({
  name: 'log',
  summary: 'appends a line',
  example: '',
  params: z.object({ line: z.string() }).strict(),
  probe: () => sh`true`,
  plan: (p) => ({ changes: [{ subject: 'log', kind: 'run', reason: p.line }], commands: [sh`echo ${p.line} >> "$HOST_DIR"/log`] }),
});

/** oneway: what it would do cannot be known without doing it (a module without check-mode support). */
const oneway = defineTask({
  name: 'oneway',
  summary: 'appends a line, and cannot say beforehand whether it must',
  example: '',
  checkMode: 'unsupported',
  params: z.object({ line: z.string() }).strict(),
  probe: () => sh`true`,
  plan: (p) => ({ changes: [{ subject: 'oneway', kind: 'run' }], commands: [sh`echo ${p.line} >> "$HOST_DIR"/oneway`] }),
});

/** reader: only reads (a stat, a slurp): its commands run in check mode too. */
const reader = defineTask({
  name: 'reader',
  summary: 'counts its runs in a file outside the host state it checks',
  example: '',
  checkMode: 'read-only',
  params: z.object({}).strict(),
  probe: () => sh`true`,
  plan: () => ({ changes: [], commands: [sh`echo read >> "$HOST_DIR"/reads`] }),
});

const MODULES = new Map<string, TaskModule>([kv, needs, log, oneway, reader, command as TaskModule, shell as TaskModule].map((m) => [m.name, m as TaskModule]));

type Fault = (index: number, script: string) => RunResult | Error | undefined;

/** Runs scripts in /bin/sh against the host's directory; `fault` may replace a round trip. */
class ScriptedTransport implements Transport {
  readonly stats = { roundTrips: 0, bytesSent: 0, bytesReceived: 0, connectMs: 0 };
  readonly scripts: { text: string; timeoutS: number }[] = [];
  constructor(
    private readonly dir: string,
    private readonly fault?: Fault,
  ) {}
  async connect(): Promise<void> {}
  async run(script: ShellText, options: RunOptions = {}): Promise<RunResult> {
    this.stats.roundTrips++;
    this.scripts.push({ text: script.text, timeoutS: options.timeoutS ?? 0 });
    const injected = this.fault?.(this.scripts.length, script.text);
    if (injected instanceof Error) throw injected;
    if (injected) return injected;
    const r = spawnSync('/bin/sh', ['-s'], { input: script.text, env: { ...process.env, HOST_DIR: this.dir } });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  }
  abort(): void {}
  async close(): Promise<void> {}
}

interface Fleet {
  result: FleetResult;
  transports: Map<string, ScriptedTransport>;
  dirs: Map<string, string>;
}

const quiet: RunEvents = { hostStarted() {}, taskStarted() {}, taskDone() {}, hostDone() {} };

async function run(
  playbookText: string,
  hosts: { name: string; vars?: Record<string, unknown>; fault?: Fault; files?: Record<string, string> }[],
  options: { check?: boolean; control?: RunControl; events?: RunEvents; taskTimeoutS?: number } = {},
): Promise<Fleet> {
  const root = mkdtempSync(join(tmpdir(), 'tend-engine-'));
  const file = join(root, 'playbook.yml');
  writeFileSync(file, playbookText);
  const playbook = loadPlaybook(file, MODULES);
  const dirs = new Map<string, string>();
  const transports = new Map<string, ScriptedTransport>();
  const work = new Map<Host, typeof playbook.plays>();
  for (const h of hosts) {
    const dir = join(root, h.name);
    mkdirSync(dir);
    for (const [k, v] of Object.entries(h.files ?? {})) writeFileSync(join(dir, k), v);
    dirs.set(h.name, dir);
    transports.set(h.name, new ScriptedTransport(dir, h.fault));
    const host: Host = { name: h.name, connection: 'ssh', address: h.name, port: 22, user: 'root', groups: ['all'], vars: { ...h.vars, inventory_hostname: h.name } };
    work.set(host, playbook.plays);
  }
  const result = await runFleet(
    work,
    {
      check: options.check ?? false,
      extraVars: {},
      forks: 5,
      knownHostsFiles: [],
      acceptNewHostKeys: false,
      connectTimeoutMs: 1000,
      taskTimeoutS: options.taskTimeoutS,
      control: options.control,
      transportFor: (h) => transports.get(h.name)!,
    },
    options.events ?? quiet,
  );
  return { result, transports, dirs };
}

const hostOf = (f: Fleet, name: string): HostResult => f.result.hosts.find((h) => h.host === name)!;
const statuses = (h: HostResult) => h.tasks.map((t) => `${t.handler ? 'H' : ''}${t.number}:${t.status}`);
const read = (f: Fleet, host: string, key: string) => readFileSync(join(f.dirs.get(host)!, key), 'utf8');

const THREE = `
- hosts: all
  tasks:
    - name: a
      kv: { key: a, value: "1" }
      notify: restart
    - name: b
      kv: { key: b, value: "2" }
      notify: [reload, restart]
    - name: c
      kv: { key: c, value: "3" }
  handlers:
    - name: reload
      log: { line: reload }
    - name: restart
      log: { line: restart }
`;

describe('engine: probe → plan → apply per host', () => {
  it('a converged host costs one round trip and changes nothing', async () => {
    const f = await run(THREE, [{ name: 'h1', files: { a: '1', b: '2', c: '3' } }]);
    assert.deepEqual(statuses(hostOf(f, 'h1')), ['1:ok', '2:ok', '3:ok']);
    assert.equal(f.transports.get('h1')!.stats.roundTrips, 1);
    assert.equal(exitCode(f.result, true), 0);
  });

  it('handlers run once, at the end, in the order written, only when a notifying task changed', async () => {
    const f = await run(THREE, [{ name: 'h1', files: { c: '3' } }, { name: 'h2', files: { a: '1', b: '2' } }]);
    // h1: a and b changed; restart is notified twice and runs once, after reload (the written order).
    assert.deepEqual(statuses(hostOf(f, 'h1')), ['1:changed', '2:changed', '3:ok', 'H4:changed', 'H5:changed']);
    assert.equal(read(f, 'h1', 'log'), 'reload\nrestart\n');
    // h2: only c changed, which notifies nothing.
    assert.deepEqual(statuses(hostOf(f, 'h2')), ['1:ok', '2:ok', '3:changed']);
    assert.equal(exitCode(f.result, true), 2);
  });

  it('check mode changes nothing, and a task waiting for an earlier change says after task N', async () => {
    const playbook = `
- hosts: all
  tasks:
    - kv: { key: made, value: "x" }
    - needs: { key: made }
`;
    const f = await run(playbook, [{ name: 'h1' }], { check: true });
    const tasks = hostOf(f, 'h1').tasks;
    assert.deepEqual(tasks.map((t) => t.status), ['would-change', 'pending']);
    assert.deepEqual(tasks[1]!.after, { number: 1, name: 'kv' });
    assert.equal(hostOf(f, 'h1').status, 'changed');
    assert.throws(() => read(f, 'h1', 'made'), { code: 'ENOENT' });
    assert.equal(exitCode(f.result, false), 2);
    // Without an earlier pending change, the same unreadable state is a failure.
    const alone = await run('- hosts: all\n  tasks:\n    - needs: { key: made }\n', [{ name: 'h1' }], { check: true });
    assert.equal(hostOf(alone, 'h1').status, 'failed');
  });

  it('a failed task stops its host only; later tasks are listed as skipped; a failure is not a change', async () => {
    const playbook = `
- hosts: all
  tasks:
    - kv: { key: a, value: "1" }
    - kv: { key: b, value: "2", fail: "{{ breaks }}" }
    - kv: { key: c, value: "3" }
`;
    const f = await run(playbook, [
      { name: 'bad', vars: { breaks: true } },
      { name: 'good', vars: { breaks: false } },
    ]);
    assert.deepEqual(statuses(hostOf(f, 'bad')), ['1:changed', '2:failed', '3:skipped']);
    assert.match(hostOf(f, 'bad').tasks[1]!.error!, /^exit 3: disk full/);
    assert.equal(hostOf(f, 'bad').status, 'failed');
    assert.deepEqual(statuses(hostOf(f, 'good')), ['1:changed', '2:changed', '3:changed']);
    assert.equal(exitCode(f.result, false), 1);
  });

  it('a variable missing on one host fails that host’s task, not the others', async () => {
    const playbook = '- hosts: all\n  tasks:\n    - kv: { key: a, value: "{{ only_b }}" }\n';
    const f = await run(playbook, [{ name: 'h1' }, { name: 'h2', vars: { only_b: 'x' } }]);
    assert.equal(hostOf(f, 'h1').status, 'failed');
    assert.match(hostOf(f, 'h1').tasks[0]!.error!, /only_b/);
    assert.equal(hostOf(f, 'h2').status, 'changed');
  });
});

describe('engine: when, loop, ignore_errors, changed_when', () => {
  const items = (h: HostResult) => h.tasks.map((t) => `${t.handler ? 'H' : ''}${t.number}${t.item !== undefined ? `(${t.item})` : ''}:${t.status}`);

  it('a false condition skips the task with its reason, and its state is not even read', async () => {
    const playbook = `
- hosts: all
  tasks:
    - name: only mail hosts
      kv: { key: mailonly, value: "1" }
      when: role == 'mail'
    - name: everyone
      kv: { key: all, value: "1" }
`;
    const f = await run(playbook, [{ name: 'mx', vars: { role: 'mail' } }, { name: 'web', vars: { role: 'web' } }], { check: true });
    assert.deepEqual(items(hostOf(f, 'mx')), ['1:would-change', '2:would-change']);
    assert.deepEqual(items(hostOf(f, 'web')), ['1:skipped', '2:would-change']);
    assert.equal(hostOf(f, 'web').tasks[0]!.reason, "condition false: role == 'mail'");
    const scripts = f.transports.get('web')!.scripts.map((s) => s.text).join('\n');
    assert.doesNotMatch(scripts, /mailonly/, 'a skipped task is not probed');
    assert.equal(f.transports.get('web')!.stats.roundTrips, 1);
  });

  it('a condition that cannot be read fails that task, naming the variable', async () => {
    const f = await run('- hosts: all\n  tasks:\n    - kv: { key: a, value: "1" }\n      when: nosuch == 1\n', [{ name: 'h1' }]);
    assert.deepEqual(items(hostOf(f, 'h1')), ['1:failed']);
    assert.match(hostOf(f, 'h1').tasks[0]!.error!, /when: error while evaluating conditional \(nosuch == 1\): 'nosuch' is undefined/);
  });

  it('a loop: one instance per item, probed in one batch, named by item, a condition per item; notify once', async () => {
    const playbook = `
- hosts: all
  tasks:
    - name: keys
      kv: { key: "{{ item }}", value: "1" }
      loop: "{{ keys }}"
      when: item != 'skipme'
      notify: log it
  handlers:
    - name: log it
      log: { line: once }
`;
    const f = await run(playbook, [{ name: 'h1', vars: { keys: ['a', 'b', 'skipme', 'c'] }, files: { b: '1' } }]);
    assert.deepEqual(items(hostOf(f, 'h1')), ['1(a):changed', '1(b):ok', '1(skipme):skipped', '1(c):changed', 'H2:changed']);
    assert.equal(read(f, 'h1', 'log'), 'once\n');
    assert.equal(read(f, 'h1', 'c'), '1');
    // Every item's state was read in the first round trip (the skipped one's not at all).
    const first = f.transports.get('h1')!.scripts[0]!.text;
    for (const key of ['a', 'b', 'c']) assert.match(first, new RegExp(`"\\$HOST_DIR"/${key} `));
    assert.doesNotMatch(first, /skipme/);
    // Then one round trip per change (a, c), and the handler's probe and its run.
    assert.equal(f.transports.get('h1')!.stats.roundTrips, 1 + 2 + 2);
  });

  it('loop_control: another loop variable, and a label for maps', async () => {
    const playbook = `
- hosts: all
  tasks:
    - name: users
      kv: { key: "{{ u.name }}", value: "{{ u.uid }}" }
      loop: [{ name: alice, uid: "1001" }, { name: bob, uid: "1002" }]
      loop_control: { loop_var: u, label: "{{ u.name }}" }
`;
    const f = await run(playbook, [{ name: 'h1' }]);
    assert.deepEqual(items(hostOf(f, 'h1')), ['1(alice):changed', '1(bob):changed']);
    assert.equal(read(f, 'h1', 'bob'), '1002');
  });

  it('a loop over something that is not a list fails that task clearly', async () => {
    const f = await run('- hosts: all\n  tasks:\n    - kv: { key: "{{ item }}", value: "1" }\n      loop: "{{ word }}"\n', [{ name: 'h1', vars: { word: 'abc' } }]);
    assert.match(hostOf(f, 'h1').tasks[0]!.error!, /loop: gave abc, not a list/);
  });

  it('ignore_errors: the failure is reported as ignored and the host goes on', async () => {
    const playbook = `
- hosts: all
  tasks:
    - kv: { key: a, value: "1", fail: true }
      ignore_errors: true
      notify: h
    - kv: { key: b, value: "2" }
  handlers:
    - name: h
      log: { line: never }
`;
    const f = await run(playbook, [{ name: 'h1' }]);
    const h1 = hostOf(f, 'h1');
    assert.deepEqual(items(h1), ['1:failed', '2:changed']);
    assert.equal(h1.tasks[0]!.ignored, true);
    assert.equal(h1.status, 'changed');
    assert.equal(exitCode(f.result, false), 0);
    assert.throws(() => read(f, 'h1', 'log'), { code: 'ENOENT' }, 'a failed task notifies nothing');
  });

  it('ignore_errors as a template is decided per host (and item): ignored where it holds, a failure elsewhere', async () => {
    const playbook = `
- hosts: all
  tasks:
    - kv: { key: a, value: "1", fail: true }
      ignore_errors: "{{ lenient | default(false) }}"
    - kv: { key: b, value: "2" }
`;
    const f = await run(playbook, [{ name: 'h1', vars: { lenient: true } }, { name: 'h2' }]);
    assert.deepEqual(items(hostOf(f, 'h1')), ['1:failed', '2:changed']);
    assert.equal(hostOf(f, 'h1').tasks[0]!.ignored, true);
    assert.deepEqual(items(hostOf(f, 'h2')), ['1:failed', '2:skipped']);
    assert.equal(hostOf(f, 'h2').status, 'failed');
  });

  it('changed_when: false — a reading command is never a change: check does not run it, apply runs it quietly', async () => {
    const playbook = `
- hosts: all
  tasks:
    - name: read
      shell: { cmd: 'echo ran >> "$HOST_DIR/ran"' }
      changed_when: false
      notify: h
  handlers:
    - name: h
      log: { line: never }
`;
    const checked = await run(playbook, [{ name: 'h1' }], { check: true });
    assert.deepEqual(items(hostOf(checked, 'h1')), ['1:ok']);
    assert.throws(() => read(checked, 'h1', 'ran'), { code: 'ENOENT' }, 'check mode does not run it');
    const applied = await run(playbook, [{ name: 'h1' }]);
    assert.deepEqual(items(hostOf(applied, 'h1')), ['1:ok']);
    assert.equal(read(applied, 'h1', 'ran'), 'ran\n');
    assert.throws(() => read(applied, 'h1', 'log'), { code: 'ENOENT' }, 'a reading command notifies nothing');
  });

  it('a play whose condition is false for a host skips all its tasks there', async () => {
    const f = await run('- hosts: all\n  when: role == "mail"\n  tasks:\n    - kv: { key: a, value: "1" }\n', [{ name: 'mx', vars: { role: 'mail' } }, { name: 'web', vars: { role: 'web' } }]);
    assert.deepEqual(items(hostOf(f, 'mx')), ['1:changed']);
    assert.deepEqual(items(hostOf(f, 'web')), ['1:skipped']);
    assert.equal(f.transports.get('web')!.stats.roundTrips, 0);
  });
});

describe('engine: register', () => {
  const playbook = `
- hosts: all
  tasks:
    - name: read
      shell: { cmd: 'echo "$HOST_DIR" | wc -c' }
      register: r
    - name: uses it
      kv: { key: a, value: "{{ r.stdout | trim }}" }
    - name: independent
      kv: { key: b, value: "2" }
    - name: set from it
      set_fact: { doubled: "{{ (r.stdout | int) * 2 }}" }
    - name: uses the fact
      kv: { key: c, value: "{{ doubled }}" }
`;

  it('apply: a task reading a registered result is prepared once the result is there; a converged host reads them all again in one round trip', async () => {
    const applied = await run(playbook, [{ name: 'h1' }]);
    const h = hostOf(applied, 'h1');
    assert.deepEqual(statuses(h), ['1:changed', '2:changed', '3:changed', '4:ok', '5:changed']);
    const length = String(applied.dirs.get('h1')!.length + 1);
    assert.equal(read(applied, 'h1', 'a'), length);
    assert.equal(read(applied, 'h1', 'c'), String(Number(length) * 2));
  });

  it('check: what only running the command could give is unknown; the tasks reading it wait for it (pending), the others are planned', async () => {
    const checked = await run(playbook, [{ name: 'h1' }], { check: true });
    const h = hostOf(checked, 'h1');
    assert.deepEqual(statuses(h), ['1:would-change', '2:pending', '3:would-change', '4:pending', '5:pending']);
    for (const k of [1, 3, 4]) assert.deepEqual(h.tasks[k]!.after, { number: 1, name: 'read' }, JSON.stringify(h.tasks[k]));
    assert.match(h.tasks[1]!.error!, /reads 'r', known once task 1 \(read\) has run/);
    assert.throws(() => read(checked, 'h1', 'b'), { code: 'ENOENT' }, 'check mode writes nothing');
  });
});

describe('engine: faults during a run', () => {
  it('a connection lost while task 2 applies: task 1 stays changed, 2 failed with why, 3 skipped; unreachable', async () => {
    // Round trips: 1 probes all, 2 applies a (+ re-probes), 3 applies b → the connection drops.
    const fault: Fault = (n) => (n === 3 ? new UnreachableError('h1: connection lost while a script ran (ECONNRESET)') : undefined);
    const f = await run(THREE, [{ name: 'h1', fault }]);
    const h = hostOf(f, 'h1');
    assert.equal(h.status, 'unreachable');
    assert.deepEqual(statuses(h), ['1:changed', '2:failed', '3:skipped']);
    assert.match(h.tasks[1]!.error!, /ECONNRESET/);
    assert.deepEqual(h.tasks[1]!.changes.map((c) => c.subject), ['b']);
    assert.match(h.error!, /connection lost/);
    assert.equal(exitCode(f.result, false), 4);
  });

  it('a connection lost while facts are read: the host is unreachable and its tasks are listed as skipped', async () => {
    const playbook = '- hosts: all\n  tasks:\n    - kv: { key: a, value: "{{ ansible_hostname }}" }\n    - kv: { key: b, value: "2" }\n';
    const fault: Fault = (n) => (n === 1 ? new UnreachableError('h1: connection lost while a script ran (ECONNRESET)') : undefined);
    const f = await run(playbook, [{ name: 'h1', fault }]);
    const h = hostOf(f, 'h1');
    assert.equal(h.status, 'unreachable');
    assert.deepEqual(statuses(h), ['1:skipped', '2:skipped']);
    assert.match(h.error!, /ECONNRESET/);
    assert.equal(exitCode(f.result, false), 4);
  });

  it('facts in parameters and conditions (Jinja2 engine): a converged host still costs one round trip', async () => {
    // Before the facts are read, a condition on a fact is pending and a fact in the
    // parameters stands for any value (attributes and filters of it too); the probe made
    // so is the real one, so the speculative read counts.
    const playbook = [
      '- hosts: all',
      '  tasks:',
      '    - kv: { key: a, value: "{{ ansible_system }}" }',
      "      when: ansible_system == 'Linux' and ansible_facts.nope is not defined",
      '    - kv: { key: b, value: "{{ ansible_default_ipv4.address | default(\'x\') }}{% if ansible_system %}!{% endif %}" }',
      "      when: ansible_system != 'Linux'",
      '    - kv: { key: c, value: "{{ \'%s\' | format(ansible_system | lower) }}" }',
    ].join('\n');
    const f = await run(playbook, [{ name: 'h1', files: { a: 'Linux', c: 'linux' } }], { check: true });
    assert.deepEqual(statuses(hostOf(f, 'h1')), ['1:ok', '2:skipped', '3:ok']);
    assert.equal(f.transports.get('h1')!.stats.roundTrips, 1);
  });

  it('a task whose script the host timed out fails with the limit it hit', async () => {
    const playbook = '- hosts: all\n  tasks:\n    - kv: { key: a, value: "1" }\n      timeout: 7\n    - kv: { key: b, value: "2" }\n';
    const fault: Fault = (n) => (n === 2 ? { code: TIMED_OUT, stdout: Buffer.from(''), stderr: Buffer.from('') } : undefined);
    const f = await run(playbook, [{ name: 'h1', fault }], { taskTimeoutS: 99 });
    const h = hostOf(f, 'h1');
    assert.deepEqual(statuses(h), ['1:failed', '2:skipped']);
    assert.match(h.tasks[0]!.error!, /timed out after 7 s/);
    // The task's own timeout reached the transport; probes use --task-timeout.
    assert.deepEqual(f.transports.get('h1')!.scripts.map((s) => s.timeoutS), [99, 7]);
  });

  it('an interrupt: running tasks finish, no new task starts, hosts are marked interrupted, exit 130', async () => {
    const control = new RunControl();
    const events: RunEvents = { ...quiet, taskDone: (_host, r: TaskResult) => r.number === 1 && control.interrupt() && undefined };
    const f = await run(THREE, [{ name: 'h1' }], { control, events });
    const h = hostOf(f, 'h1');
    assert.equal(h.status, 'interrupted');
    assert.deepEqual(statuses(h), ['1:changed', '2:skipped', '3:skipped']);
    assert.equal(read(f, 'h1', 'a'), '1');
    assert.equal(f.result.interrupted, true);
    assert.equal(exitCode(f.result, false), 130);
  });

  it('a secret task that fails does not show its output', async () => {
    const secret = defineTask({
      name: 'secretfail',
      summary: '',
      example: '',
      params: z.object({}).strict(),
      probe: () => sh`true`,
      plan: () => ({ changes: [{ subject: 'pw', kind: 'set', secret: true }], commands: [sh`echo hunter2 >&2; exit 1`] }),
    });
    MODULES.set('secretfail', secret as TaskModule);
    const f = await run('- hosts: all\n  tasks:\n    - secretfail: {}\n', [{ name: 'h1' }]);
    const error = hostOf(f, 'h1').tasks[0]!.error!;
    assert.doesNotMatch(error, /hunter2/);
    assert.match(error, /output hidden/);
  });
});

describe("engine: a module's check-mode behaviour (the contract's checkMode)", () => {
  const PLAY = `
- hosts: all
  tasks:
    - name: set a
      kv: { key: a, value: "1" }
    - name: one way
      oneway: { line: ran }
    - name: read
      reader: {}
`;

  it('check mode skips a module that cannot run in check mode, says why, and runs nothing of it', async () => {
    const f = await run(PLAY, [{ name: 'h1' }], { check: true });
    const tasks = hostOf(f, 'h1').tasks;
    assert.deepEqual(statuses(hostOf(f, 'h1')), ['1:would-change', '2:skipped', '3:ok']);
    assert.match(tasks[1]!.reason ?? '', /^check mode: oneway cannot tell what it would do without doing it$/);
    assert.throws(() => read(f, 'h1', 'oneway'), /ENOENT/);
  });

  it('check mode runs a read-only module as apply does, reports no change, and changes nothing else', async () => {
    const f = await run(PLAY, [{ name: 'h1' }], { check: true });
    assert.equal(hostOf(f, 'h1').tasks[2]!.status, 'ok');
    assert.equal(read(f, 'h1', 'reads'), 'read\n');
    assert.throws(() => read(f, 'h1', 'a'), /ENOENT/);
  });

  it('apply runs both', async () => {
    const f = await run(PLAY, [{ name: 'h1' }]);
    assert.deepEqual(statuses(hostOf(f, 'h1')), ['1:changed', '2:changed', '3:ok']);
    assert.equal(read(f, 'h1', 'reads'), 'read\n');
    assert.equal(read(f, 'h1', 'oneway'), 'ran\n');
  });
});

describe('engine: check_mode on a task (and a block) wins over the run\'s mode, both ways, as in Ansible', () => {
  const PLAY = `
- hosts: all
  tasks:
    - name: always applied
      kv: { key: a, value: "1" }
      check_mode: false
    - name: as the run says
      kv: { key: b, value: "2" }
    - block:
        - name: only ever checked
          kv: { key: c, value: "3" }
      check_mode: true
`;

  it('in check mode, a task with check_mode: false changes the host; the others only say what they would do', async () => {
    const f = await run(PLAY, [{ name: 'h1' }], { check: true });
    assert.deepEqual(statuses(hostOf(f, 'h1')), ['1:changed', '2:would-change', '3:would-change']);
    assert.equal(read(f, 'h1', 'a'), '1');
    assert.throws(() => read(f, 'h1', 'b'), /ENOENT/);
  });

  it('in apply, a task with check_mode: true (here from its block) changes nothing and says what it would do', async () => {
    const f = await run(PLAY, [{ name: 'h1' }]);
    assert.deepEqual(statuses(hostOf(f, 'h1')), ['1:changed', '2:changed', '3:would-change']);
    assert.equal(read(f, 'h1', 'b'), '2');
    assert.throws(() => read(f, 'h1', 'c'), /ENOENT/);
  });
});
