// Faults during real runs (fleet hosts 13 and 14): a host dies while dpkg runs, a link
// goes down, a filesystem fills up, tend gets Ctrl-C. Each time the other host
// finishes, the broken one is reported with its reason and the tasks it did, no file is
// half-written, no temporary file is left, the exit code is right, and a run after the
// repair converges without a spurious change.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { join } from 'node:path';
import { fleet, hostName, inventoryOf, KNOWN_HOSTS, onHost, ROOT, tend, writeTemp, type TendResult } from './helpers.ts';

const A = 13;
const B = 14;

/** Polls a host until `script` succeeds there (or the time is up). */
async function waitOn(host: number, script: string, seconds: number): Promise<boolean> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    try {
      onHost(host, script);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return false;
}

function reportOf(file: string) {
  return JSON.parse(readFileSync(file, 'utf8')) as {
    interrupted?: boolean;
    hosts: { name: string; status: string; error?: string; tasks: { number: number; status: string; error?: string }[] }[];
  };
}

const statusesOf = (report: ReturnType<typeof reportOf>, host: number) =>
  report.hosts.find((h) => h.name === hostName(host))!.tasks.map((t) => `${t.number}:${t.status}`);

/** No staging directory or temporary file of tend anywhere it writes. */
function noTempFiles(host: number, dirs: string[]): void {
  const found = onHost(host, `find ${dirs.join(' ')} -maxdepth 1 -name '.tend.*' 2>/dev/null; true`).trim();
  assert.equal(found, '', `temporary files left on ${hostName(host)}`);
}

describe('faults during real runs', () => {
  before(() => {
    // Pristine hosts: each fault starts from the base image.
    fleet('reset', String(A));
    fleet('reset', String(B));
  });
  const args = (inventory: string) => ['-i', inventory, '--known-hosts', KNOWN_HOSTS, '--timeout', '3'];

  it('(a) a host dies while dpkg unpacks: the other converges, the next run repairs dpkg, then nothing changes', async () => {
    const inventory = inventoryOf([A, B]);
    const json = writeTemp('a.json', '');
    const playbook = writeTemp(
      'dpkg.yml',
      '- hosts: all\n  tasks:\n    - name: marker\n      copy: { dest: /etc/tend-fault-a, content: "1\\n" }\n' +
        '    - name: big package\n      apt: { name: [python3, python3-apt], install_recommends: false }\n' +
        '    - name: after\n      copy: { dest: /etc/tend-fault-a2, content: "2\\n" }\n',
    );
    const run = tend(['apply', playbook, ...args(inventory), '--json', json]);
    // dpkg unpacking, not any dpkg: apt-cache in the re-probe of task 1 runs a short
    // `dpkg --print-foreign-architectures`, which a loaded machine lets this poll see.
    assert.ok(await waitOn(A, 'pgrep -a -x dpkg | grep -q -e --unpack', 60), 'dpkg never started unpacking on the host');
    fleet('stop', String(A)); // every process of the host, dpkg included, killed at once
    const r = await run;
    assert.equal(r.code & 4, 4, r.stdout + r.stderr);
    const report = reportOf(json);
    const hostA = report.hosts.find((h) => h.name === hostName(A))!;
    assert.equal(hostA.status, 'unreachable');
    assert.deepEqual(statusesOf(report, A), ['1:changed', '2:failed', '3:skipped']);
    assert.match(hostA.tasks[1]!.error!, /connection lost|closed/);
    assert.deepEqual(statusesOf(report, B), ['1:changed', '2:changed', '3:changed']);

    fleet('start', String(A));
    const repaired = await tend(['apply', playbook, ...args(inventory)]);
    assert.equal(repaired.code, 0, repaired.stdout + repaired.stderr);
    assert.equal(onHost(A, 'dpkg --audit; ls /var/lib/dpkg/updates | wc -l').trim(), '0');
    assert.match(onHost(A, "dpkg-query -W -f='${db:Status-Abbrev}' python3"), /^ii/);
    const again = await tend(['apply', playbook, ...args(inventory), '--detailed-exitcode']);
    assert.equal(again.code, 0, again.stdout);
    noTempFiles(A, ['/etc']);
  });

  it('(b) a host whose link goes down mid-task is unreachable within seconds; the run goes on; later it converges', async () => {
    const inventory = inventoryOf([A, B]);
    const json = writeTemp('b.json', '');
    const playbook = writeTemp(
      'link.yml',
      '- hosts: all\n  tasks:\n    - copy: { dest: /etc/tend-fault-b, content: "1\\n" }\n' +
        '    - shell: { cmd: "sleep 8 && touch /etc/tend-fault-b-slept", creates: /etc/tend-fault-b-slept }\n' +
        '    - copy: { dest: /etc/tend-fault-b2, content: "2\\n" }\n',
    );
    const started = Date.now();
    const run = tend(['apply', playbook, ...args(inventory), '--json', json]);
    assert.ok(await waitOn(A, 'pgrep -fx "sleep 8" >/dev/null', 30));
    execIp('down');
    let r: TendResult;
    try {
      r = await run;
    } finally {
      execIp('up');
    }
    assert.ok(Date.now() - started < 40_000, `took ${Date.now() - started} ms`);
    assert.equal(r.code & 4, 4, r.stdout);
    const report = reportOf(json);
    assert.deepEqual(statusesOf(report, A), ['1:changed', '2:failed', '3:skipped']);
    assert.deepEqual(statusesOf(report, B), ['1:changed', '2:changed', '3:changed']);
    const after = await tend(['apply', playbook, ...args(inventory)]);
    assert.equal(after.code, 0, after.stdout);
    const again = await tend(['apply', playbook, ...args(inventory), '--detailed-exitcode']);
    assert.equal(again.code, 0, again.stdout);
  });

  it('(c) a full filesystem fails that task: the old file is whole, nothing is left behind', async () => {
    fleet('tmpfs', String(A), '/srv/full', '64k');
    onHost(A, 'printf "old\\n" > /srv/full/conf');
    const inventory = inventoryOf([A, B]);
    const big = 'x'.repeat(200 * 1024);
    const playbook = writeTemp('full.yml', JSON.stringify([{ hosts: 'all', tasks: [{ copy: { dest: '/srv/full/conf', content: big } }] }]));
    onHost(B, 'mkdir -p /srv/full');
    const r = await tend(['apply', playbook, ...args(inventory)]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, new RegExp(`${hostName(A)}: FAILED: \\[1\\] copy[\\s\\S]*No space left`));
    assert.equal(onHost(A, 'cat /srv/full/conf'), 'old\n');
    noTempFiles(A, ['/srv/full']);
    assert.equal(onHost(B, 'wc -c < /srv/full/conf').trim(), String(big.length));
    fleet('tmpfs', String(A), '/srv/full', '1m');
    const after = await tend(['apply', playbook, ...args(inventory)]);
    assert.equal(after.code, 0, after.stdout);
    assert.equal(onHost(A, 'wc -c < /srv/full/conf').trim(), String(big.length));
    fleet('tmpfs', String(A), '/srv/full', 'off');
  });

  it('(d) Ctrl-C once: the running task finishes, nothing new starts, the report says interrupted, exit 130', async () => {
    const inventory = inventoryOf([A, B]);
    const json = writeTemp('d.json', '');
    onHost(A, 'rm -f /etc/tend-fault-d*');
    onHost(B, 'rm -f /etc/tend-fault-d*');
    // The first task holds until the test releases it: it is surely running when Ctrl-C
    // comes, and surely finishes after tend has taken it (no window of a fixed length).
    const playbook = writeTemp(
      'sigint.yml',
      '- hosts: all\n  tasks:\n    - shell: { cmd: "touch /etc/tend-fault-d-started && until [ -e /etc/tend-fault-d-release ]; do sleep 0.1; done && touch /etc/tend-fault-d1", creates: /etc/tend-fault-d1 }\n' +
        '    - copy: { dest: /etc/tend-fault-d2, content: "2\\n" }\n',
    );
    const child = spawn(process.execPath, [join(ROOT, 'bin/tend.js'), 'apply', playbook, ...args(inventory), '--json', json], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    for (const host of [A, B]) assert.ok(await waitOn(host, 'test -e /etc/tend-fault-d-started', 60), `the first task never started on ${host}`);
    child.kill('SIGINT');
    const until = Date.now() + 30_000;
    while (!stderr.includes('no new task starts') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.match(stderr, /tend: SIGINT: no new task starts/);
    for (const host of [A, B]) onHost(host, 'touch /etc/tend-fault-d-release');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 130, stdout);
    const report = reportOf(json);
    assert.equal(report.interrupted, true);
    for (const host of [A, B]) {
      assert.deepEqual(statusesOf(report, host), ['1:changed', '2:skipped']);
      assert.equal(onHost(host, 'test -e /etc/tend-fault-d1 && echo done').trim(), 'done', 'the running task did not finish');
      assert.equal(onHost(host, 'test -e /etc/tend-fault-d2 && echo made || echo not').trim(), 'not');
    }
    assert.match(stdout, /interrupted/);
    const after = await tend(['apply', playbook, ...args(inventory)]);
    assert.equal(after.code, 0, after.stdout);
  });

  it('(d) Ctrl-C twice: a write in progress is abandoned whole, its staging directory removed', async () => {
    const inventory = inventoryOf([A]);
    onHost(A, 'printf "keep\\n" > /etc/tend-fault-e');
    const playbook = writeTemp(
      'sigint2.yml',
      '- hosts: all\n  tasks:\n    - copy: { dest: /etc/tend-fault-e, content: "new\\n", validate: "sleep 20; test -s %s" }\n',
    );
    const child = spawn(process.execPath, [join(ROOT, 'bin/tend.js'), 'apply', playbook, ...args(inventory)], { env: { ...process.env, NO_COLOR: '1' } });
    assert.ok(await waitOn(A, 'pgrep -fx "sleep 20" >/dev/null', 20));
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 130);
    assert.ok(await waitOn(A, '! pgrep -fx "sleep 20" >/dev/null', 10), 'the remote script was not interrupted');
    assert.equal(onHost(A, 'cat /etc/tend-fault-e'), 'keep\n');
    noTempFiles(A, ['/etc']);
  });
});

/** Takes host A's link (the controller's end of its veth pair) down or up. */
function execIp(state: 'up' | 'down'): void {
  assert.equal(spawnSync('ip', ['link', 'set', `tend${A}`, state], { stdio: 'ignore' }).status, 0);
}
