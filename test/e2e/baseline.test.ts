// The second real playbook, playbooks/baseline.yml, on two fresh fleet hosts (25, 26):
// it converges, a second run changes nothing in one round trip per host, and check
// names exactly the drift of hand edits — one per host, through the role, the loop and
// a tag.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fleet, fleetArgs, linesOf, onHost, tend, writeTemp } from './helpers.ts';

const HOSTS = [25, 26];
const PLAYBOOK = 'playbooks/baseline.yml';

describe('the baseline playbook', () => {
  const args = fleetArgs(HOSTS);

  it('converges two fresh hosts; the second run changes nothing, in one round trip each', async () => {
    const first = await tend(['apply', PLAYBOOK, ...args()]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    for (const i of HOSTS) {
      assert.match(onHost(i, 'id -nG alice'), /\bsysadmins\b/);
      assert.equal(onHost(i, 'cat /proc/sys/net/ipv4/tcp_syncookies').trim(), '1');
      assert.match(onHost(i, 'cat /etc/cron.d/baseline'), /^#tend: kernel report\n15 6 \* \* \* root sysctl -a/);
      assert.match(onHost(i, 'cat /etc/motd'), new RegExp(`^tend-${i}: Debian 12[.0-9]* \\(bookworm\\)\\n$`));
    }
    const json = writeTemp('baseline.json', '');
    const again = await tend(['apply', PLAYBOOK, ...args(), '--detailed-exitcode', '--json', json]);
    assert.equal(again.code, 0, again.stdout);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.deepEqual(report.hosts.map((h: { stats: { roundTrips: number } }) => h.stats.roundTrips), [1, 1]);
  });

  it('check names exactly the hand edits, --tags narrows it, apply repairs only them', async () => {
    onHost(25, 'sysctl -q -w net.ipv4.tcp_syncookies=0');
    onHost(26, 'gpasswd -d alice sysadmins >/dev/null');
    const check = await tend(['check', PLAYBOOK, ...args()]);
    assert.equal(check.code, 2, check.stdout + check.stderr);
    const drifted = (host: number) => linesOf(check.stdout, `tend-${host}`).filter((l) => /: would change: /.test(l));
    assert.deepEqual(drifted(25), ['tend-25: would change: [2] kernel settings (net.ipv4.tcp_syncookies)']);
    assert.deepEqual(drifted(26), ['tend-26: would change: [5] administrators (alice)']);
    assert.match(check.stdout, /net\.ipv4\.tcp_syncookies \(running\): 0 → 1/);
    const users = await tend(['check', PLAYBOOK, ...args(), '--tags', 'users']);
    assert.equal(users.code, 2);
    assert.doesNotMatch(users.stdout, /kernel settings/, 'the kernel role is not in the users tag');
    const repair = await tend(['apply', PLAYBOOK, ...args()]);
    assert.equal(repair.code, 0, repair.stdout);
    assert.equal(repair.stdout.split('\n').filter((l) => /: changed: \[/.test(l)).length, 2);
    assert.equal((await tend(['check', PLAYBOOK, ...args()])).code, 0);
  });
});

// A smaller image than the fleet's: no cron, so no /etc/cron.d (fleet host 28, reset to
// the pristine base, then cron and cron-daemon-common purged and the directory gone, as
// in images without them). Every example playbook installs what it needs
// before it writes there (issue 18, finding 12).
describe('the example playbooks on a minimal host', () => {
  const MINIMAL = 28;
  const args = fleetArgs([MINIMAL]);

  it('a cron job where cron is not installed fails naming the missing directory, not tampering', async () => {
    fleet('reset', String(MINIMAL));
    onHost(MINIMAL, 'dpkg --purge cron cron-daemon-common >/dev/null 2>&1 && rm -rf /etc/cron.d && test ! -e /usr/sbin/cron');
    const alone = writeTemp('cron-alone.yml', JSON.stringify([{ hosts: 'all', tasks: [{ cron: { name: 'x', job: 'true', file: 'x' } }] }]));
    const r = await tend(['apply', alone, ...args()]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /tend: the directory \/etc\/cron\.d does not exist/);
    assert.doesNotMatch(r.stdout + r.stderr, /tampered/);
  });

  it('baseline.yml and the seed converge there, and a second run changes nothing', async () => {
    for (const playbook of [PLAYBOOK, 'playbooks/postfix-sasl-tls.yml']) {
      const first = await tend(['apply', playbook, ...args()]);
      assert.equal(first.code, 0, `${playbook}:\n${first.stdout}${first.stderr}`);
      const again = await tend(['apply', playbook, ...args(), '--detailed-exitcode']);
      assert.equal(again.code, 0, `${playbook} changed something on its second run:\n${again.stdout}`);
    }
    assert.match(onHost(MINIMAL, 'dpkg-query -W -f=\'${db:Status-Abbrev}\' cron; cat /etc/cron.d/baseline'), /^ii #tend: kernel report\n/);
  });
});
