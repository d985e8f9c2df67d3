// The skeleton's acceptance: apply, converge, drift, repair, unreachable hosts and host
// keys, on fleet hosts 1–4 over real SSH.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, it, before } from 'node:test';
import { fleet, fleetIp, inventoryOf, KNOWN_HOSTS, linesOf, onHost, recapLine, tend, writeTemp } from './helpers.ts';

const PLAYBOOK = 'playbooks/postfix-basic.yml';
const HOSTS = [1, 2, 3];
const DOWN_HOST = 4;

function count(line: string, key: string): number {
  const m = new RegExp(`${key}=(\\d+)`).exec(line);
  assert.ok(m, `${key}= not in '${line}'`);
  return Number(m[1]);
}

function masterPid(i: number): string {
  return onHost(i, 'cat /var/spool/postfix/pid/master.pid').trim();
}

/** Reads the SMTP greeting and the EHLO answer from a fleet host's port 25. */
function ehlo(ip: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(25, ip);
    let text = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('SMTP timeout')));
    socket.on('data', (d) => {
      text += d.toString();
      if (/^220 /m.test(text) && !text.includes('EHLO-SENT')) {
        text += 'EHLO-SENT\n';
        socket.write('EHLO tester.example\r\n');
      }
      if (/^250 /m.test(text)) {
        socket.end('QUIT\r\n');
        resolve(text);
      }
    });
    socket.on('error', reject);
  });
}

describe('apply and check against three real hosts', () => {
  let inventory: string;
  const common = () => ['-i', inventory, '--known-hosts', KNOWN_HOSTS];

  before(() => {
    inventory = inventoryOf(HOSTS);
  });

  it('the first apply changes every host and leaves postfix answering with our settings', async () => {
    const r = await tend(['apply', PLAYBOOK, ...common()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const i of HOSTS) {
      assert.ok(count(recapLine(r.stdout, `tend-${i}`), 'changed') >= 3, r.stdout);
      assert.equal(onHost(i, 'postconf -h myhostname').trim(), `tend-${i}.lab.test`);
      const answer = await ehlo(fleetIp(i));
      assert.match(answer, new RegExp(`^220 tend-${i}\\.lab\\.test ESMTP`, 'm'));
      assert.match(answer, /^250-PIPELINING/m);
    }
  });

  it('a second apply changes nothing and restarts nothing', async () => {
    const pids = HOSTS.map(masterPid);
    const r = await tend(['apply', PLAYBOOK, ...common()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const i of HOSTS) assert.equal(count(recapLine(r.stdout, `tend-${i}`), 'changed'), 0, r.stdout);
    assert.doesNotMatch(r.stdout, /: changed:/);
    assert.deepEqual(HOSTS.map(masterPid), pids, 'postfix was restarted by a converged apply');
    const check = await tend(['check', PLAYBOOK, ...common()]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
  });

  it('drift on one host: check exits 2 naming that host, task and values; apply repairs only it', async () => {
    onHost(2, "postconf -e 'smtpd_banner = drifted by hand'");
    const check = await tend(['check', PLAYBOOK, ...common()]);
    assert.equal(check.code, 2, check.stdout + check.stderr);
    const drifted = check.stdout.split('\n').filter((l) => /would change/.test(l));
    assert.ok(drifted.length > 0);
    for (const l of drifted) assert.match(l, /^tend-2: /, `only tend-2 should drift: ${l}`);
    assert.ok(
      linesOf(check.stdout, 'tend-2').some((l) => l.includes('would change: [2] main.cf (postconf)')),
      check.stdout,
    );
    assert.ok(linesOf(check.stdout, 'tend-2').some((l) => l.includes('smtpd_banner: drifted by hand → $myhostname ESMTP')));
    assert.equal(onHost(2, 'postconf -h smtpd_banner').trim(), 'drifted by hand', 'check must not change anything');
    // --limit leaves the drifted host out.
    const limited = await tend(['check', PLAYBOOK, ...common(), '--limit', 'all,!tend-2']);
    assert.equal(limited.code, 0, limited.stdout);
    assert.doesNotMatch(limited.stdout, /tend-2/);

    const pids = HOSTS.map(masterPid);
    const apply = await tend(['apply', PLAYBOOK, ...common()]);
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);
    assert.ok(count(recapLine(apply.stdout, 'tend-2'), 'changed') >= 1);
    assert.equal(count(recapLine(apply.stdout, 'tend-1'), 'changed'), 0);
    assert.equal(count(recapLine(apply.stdout, 'tend-3'), 'changed'), 0);
    assert.equal(onHost(2, 'postconf -h smtpd_banner').trim(), '$myhostname ESMTP');
    const after = HOSTS.map(masterPid);
    assert.notEqual(after[1], pids[1], 'the handler should have restarted postfix on tend-2');
    assert.equal(after[0], pids[0]);
    assert.equal(after[2], pids[2]);
    const again = await tend(['check', PLAYBOOK, ...common()]);
    assert.equal(again.code, 0, again.stdout);
  });

  it('a host that is down is reported unreachable while the others converge (exit 4)', async () => {
    fleet('stop', String(DOWN_HOST));
    const withDown = inventoryOf([...HOSTS, DOWN_HOST]);
    const r = await tend(['apply', PLAYBOOK, '-i', withDown, '--known-hosts', KNOWN_HOSTS, '--timeout', '3']);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    const down = recapLine(r.stdout, 'tend-4');
    assert.equal(count(down, 'unreachable'), 1);
    assert.match(r.stdout, /tend-4 \(root@[\d.]+:22\): (connection refused|no route to host|timed out)/);
    for (const i of HOSTS) assert.equal(count(recapLine(r.stdout, `tend-${i}`), 'unreachable'), 0);
  });

  it('a host whose key differs from known_hosts is refused and nothing runs on it', async () => {
    // known_hosts with tend-3's real key swapped for another ed25519 key.
    const keyFile = writeTemp('other', '');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', `${keyFile}.key`]);
    const otherKey = readFileSync(`${keyFile}.key.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    const ip3 = fleetIp(3);
    const lines = readFileSync(KNOWN_HOSTS, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (l.startsWith(`${ip3} `) ? `${ip3} ${otherKey}` : l));
    const knownHosts = writeTemp('known_hosts', `${lines.join('\n')}\n`);

    const before3 = onHost(3, 'postconf -h smtpd_banner').trim();
    const r = await tend(['apply', PLAYBOOK, '-i', inventory, '--known-hosts', knownHosts]);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stdout, /HOST KEY CHANGED for tend-3 \([\d.]+\): it offered ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}/);
    assert.equal(count(recapLine(r.stdout, 'tend-3'), 'unreachable'), 1);
    assert.equal(linesOf(r.stdout, 'tend-3').filter((l) => /: (ok|changed):/.test(l)).length, 0, 'no task may run on tend-3');
    assert.equal(onHost(3, 'postconf -h smtpd_banner').trim(), before3);
    assert.equal(count(recapLine(r.stdout, 'tend-1'), 'unreachable'), 0);
  });

  it('an unknown host key is refused unless --accept-new-host-keys, which records it', async () => {
    const empty = writeTemp('known_hosts', '');
    const refused = await tend(['check', PLAYBOOK, '-i', inventory, '--known-hosts', empty]);
    assert.equal(refused.code, 4, refused.stdout);
    assert.match(refused.stdout, /host key of tend-1 \([\d.]+\) is not known: it offered ssh-ed25519 SHA256:/);

    const accepted = await tend(['check', PLAYBOOK, '-i', inventory, '--known-hosts', empty, '--accept-new-host-keys']);
    assert.equal(accepted.code, 0, accepted.stdout + accepted.stderr);
    const recorded = readFileSync(empty, 'utf8');
    for (const i of HOSTS) assert.match(recorded, new RegExp(`^${fleetIp(i).replaceAll('.', '\\.')} ssh-ed25519 `, 'm'));
    // What was recorded is what the fleet generated.
    const real = readFileSync(KNOWN_HOSTS, 'utf8');
    for (const line of recorded.trim().split('\n')) assert.ok(real.includes(line.trim()), `${line} is not the host's real key`);
    writeFileSync(empty, '');
  });
});
