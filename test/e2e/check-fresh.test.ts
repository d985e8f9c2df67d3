// Check mode on a fresh host (fleet host 11, never changed): the seed playbook's later
// tasks cannot be read before postfix is installed, and check says "would change after
// task N" — never a failure. Also the live view on a terminal, and NO_COLOR.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { inventoryOf, KNOWN_HOSTS, onHost, ROOT, tend, writeTemp } from './helpers.ts';

const HOST = 11;
const PLAYBOOK = 'playbooks/postfix-sasl-tls.yml';

/** Runs tend under a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
function tendOnTerminal(args: string[], env: Record<string, string>): Promise<string> {
  const command = [process.execPath, join(ROOT, 'bin/tend.js'), ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return new Promise((resolve) => {
    const environment: Record<string, string | undefined> = { ...process.env, ...env, TERM: 'xterm-256color', COLUMNS: '120' };
    delete environment.CI;
    delete environment.NO_COLOR;
    Object.assign(environment, env);
    execFile('script', ['-qec', `stty cols 120 rows 50; ${command}`, '/dev/null'], { cwd: ROOT, env: environment, maxBuffer: 16 * 1024 * 1024 }, (_e, stdout) => resolve(stdout));
  });
}

describe('check mode on a fresh host', () => {
  let inventory: string;
  before(() => {
    inventory = inventoryOf([HOST]);
  });

  it('later tasks would change after an earlier one; nothing fails; exit 2', async () => {
    const reportFile = writeTemp('report.json', '');
    const r = await tend(['check', PLAYBOOK, '-i', inventory, '--known-hosts', KNOWN_HOSTS, '--json', reportFile]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /failed:|FAILED/);
    assert.match(r.stdout, /^tend-11: would change: \[2\] mail packages \(apt\)$/m);
    assert.match(r.stdout, /^tend-11: would change after task 1: \[5\] main\.cf and master\.cf \(postconf\)$/m);
    assert.match(r.stdout, /^tend-11: would change after task 1: \[7\] TLS offered and used \(Debian 12, the guide's names\) \(postconf\)$/m);
    assert.match(r.stdout, /^tend-11: would change after task 1: \[17\] postfix runs \(service\)$/m);
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    assert.equal(report.totals.tasks.failed, 0);
    assert.ok(report.totals.tasks.wouldChangeAfterEarlier >= 3);
    const postconf = report.hosts[0].tasks.find((t: { number: number }) => t.number === 5);
    assert.deepEqual([postconf.status, postconf.afterTask.number], ['would-change', 1]);
  });

  it('--json - puts the report alone on stdout and the human output on stderr', async () => {
    const r = await tend(['check', PLAYBOOK, '-i', inventory, '--known-hosts', KNOWN_HOSTS, '--json', '-']);
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.stdout).hosts[0].name, 'tend-11');
    assert.match(r.stderr, /^RECAP$/m);
  });

  it('on a terminal: the live view, colours, and the grouped differences', async () => {
    const out = await tendOnTerminal(['check', PLAYBOOK, '-i', inventory, '--known-hosts', KNOWN_HOSTS], {});
    assert.ok(out.includes('\x1b[33m') || out.includes('\x1b[32m'), 'colours on a terminal');
    // Host 11 is a Debian 12 host: the Debian 13 TLS task is skipped.
    assert.match(out, /tend-11: ok=0 would-change=11 skipped=1 after-earlier=9 failed=0/);
    assert.match(out, /DIFFERENCES/);
    assert.doesNotMatch(out, /^tend-11: would change: /m, 'no plain per-task lines on a terminal');
  });

  it('NO_COLOR and --no-color turn colours off, even on a terminal', async () => {
    for (const [args, env] of [[[], { NO_COLOR: '1' }], [['--no-color'], {}]] as const) {
      const out = await tendOnTerminal(['check', PLAYBOOK, '-i', inventory, '--known-hosts', KNOWN_HOSTS, ...args], env);
      assert.match(out, /RECAP/);
      // listr2's cursor control may remain; colour codes (SGR, `ESC[…m`) may not.
      assert.doesNotMatch(out, new RegExp(String.raw`\u001b\[[0-9;]*m`));
    }
  });

  it('the guide’s alternative delivery agent: -e delivery_agent=maildrop converges, then nothing to do', async () => {
    const args = [PLAYBOOK, '-i', inventory, '--known-hosts', KNOWN_HOSTS, '-e', 'delivery_agent=maildrop'];
    const first = await tend(['apply', ...args]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /^tend-11: {5}\+ maildrop /m);
    assert.equal(onHost(HOST, 'postconf -h mailbox_command').trim(), 'maildrop');
    assert.match(onHost(HOST, "dpkg-query -W -f='${db:Status-Abbrev}' maildrop"), /^ii/);
    const second = await tend(['apply', ...args, '--detailed-exitcode']);
    assert.equal(second.code, 0, second.stdout);
  });
});
