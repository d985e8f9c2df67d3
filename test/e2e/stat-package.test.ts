// stat, slurp, package and systemd on fleet hosts 13 and 14: stat reads present, missing
// and linked paths alike in apply and check, and its probe's answer on a real host is what
// the host's own tools say; package installs and removes once; systemd, on hosts that
// (like every fleet host) run no systemd, fails with why, in apply and check alike.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { probedFrom } from '../../src/module.ts';
import stat, { statResult } from '../../tasks/builtin/stat.ts';
import { fleetArgs, onHost, tend, writeTemp } from './helpers.ts';

const HOSTS = [13, 14];
const args = fleetArgs(HOSTS);
const each = (script: string) => HOSTS.forEach((i) => onHost(i, script));
const changedLines = (stdout: string) => stdout.split('\n').filter((l) => /: (would )?change(d)?: \[\d+\]/.test(l));

/** stat's probe snippets run on host `i` (as the engine would, one `sh -c` each), and the dict computed from them. */
function statOnHost(i: number, raw: Record<string, unknown>): Record<string, unknown> {
  const p = stat.params.parse(raw);
  const snippets = stat.probe(p) as readonly { text: string }[];
  const sections = snippets.map((s) => onHost(i, `export LC_ALL=C\n${s.text}`));
  return statResult(p, probedFrom(sections));
}

describe('stat and slurp read, and change nothing', () => {
  before(() => each('mkdir -p /srv/st && printf "hello\\n" > /srv/st/file && chmod 0640 /srv/st/file && ln -sfn file /srv/st/link && rm -f /srv/st/missing'));

  const playbook = () =>
    writeTemp(
      'stat.yml',
      `- hosts: all
  tasks:
    - stat: path=/srv/st/file checksum_algorithm=sha256
    - stat:
        path: /srv/st/missing
    - stat:
        path: /srv/st/link
        follow: true
    - stat: dest=/srv/st/link get_mime=false
    - slurp: src=/srv/st/file
`,
    );

  for (const mode of ['apply', 'check']) {
    it(`${mode}: every task is ok on both hosts, nothing changes`, async () => {
      const before = onHost(13, 'stat -c %Y.%Z /srv/st/file /srv/st/link');
      const r = await tend([mode, playbook(), ...args()]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(changedLines(r.stdout), [], r.stdout);
      for (const h of HOSTS) assert.equal(r.stdout.split('\n').filter((l) => l.startsWith(`tend-${h}: ok: [`)).length, 5, r.stdout);
      assert.equal(onHost(13, 'stat -c %Y.%Z /srv/st/file /srv/st/link'), before);
    });
  }

  it('a path it cannot stat (under a file) fails the task with the reason', async () => {
    const r = await tend(['apply', writeTemp('bad.yml', '- hosts: all\n  tasks:\n    - stat: path=/srv/st/file/x\n'), ...args()]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /tend-13: FAILED: \[1\] stat/);
    assert.match(r.stdout, /Not a directory/);
  });

  it("the dict computed from the probe on a real host is what the host's own tools say", () => {
    const file = statOnHost(13, { path: '/srv/st/file' });
    const [size, mode, inode, uid] = onHost(13, 'stat -c "%s %a %i %u" /srv/st/file').trim().split(' ');
    assert.equal(file.exists, true);
    assert.equal(file.isreg, true);
    assert.equal(file.size, Number(size));
    assert.equal(file.mode, mode!.padStart(4, '0'));
    assert.equal(file.inode, Number(inode));
    assert.equal(file.uid, Number(uid));
    assert.equal(file.pw_name, 'root');
    assert.equal(file.checksum, onHost(13, 'sha1sum /srv/st/file').split(' ')[0]);
    assert.equal(file.readable, true);
    // The fleet's base has no `file`: mimetype and charset are 'unknown', as Ansible says there.
    const hasFile = onHost(13, 'command -v file || true').trim() !== '';
    if (!hasFile) assert.deepEqual([file.mimetype, file.charset], ['unknown', 'unknown']);
    const link = statOnHost(13, { path: '/srv/st/link' });
    assert.equal(link.islnk, true);
    assert.equal(link.lnk_target, 'file');
    assert.equal(link.lnk_source, '/srv/st/file');
    assert.equal(link.checksum, undefined);
    assert.equal(statOnHost(13, { path: '/srv/st/link', follow: true }).inode, Number(inode));
    assert.deepEqual(statOnHost(13, { path: '/srv/st/missing' }), { exists: false });
    const dev = statOnHost(14, { path: '/dev/null' });
    assert.equal(dev.ischr, true);
    assert.equal(dev.device_type, 259);
  });
});

describe('package installs and removes once', () => {
  before(() => each('DEBIAN_FRONTEND=noninteractive apt-get remove -y -q procmail >/dev/null 2>&1 || true'));
  const play = (state: string) => writeTemp('package.yml', `- hosts: all\n  tasks:\n    - package:\n        name: [procmail]\n        state: ${state}\n`);

  it('state installed: the first apply installs, the second and check change nothing', async () => {
    const check = await tend(['check', play('installed'), ...args()]);
    assert.equal(changedLines(check.stdout).length, 2, check.stdout);
    const first = await tend(['apply', play('installed'), ...args()]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(changedLines(first.stdout).length, 2, first.stdout);
    for (const h of HOSTS) assert.match(onHost(h, "dpkg-query -W -f='${db:Status-Abbrev}' procmail"), /^ii/);
    const second = await tend(['apply', play('present'), ...args(), '--detailed-exitcode']);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    const again = await tend(['check', play('installed'), ...args()]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.deepEqual(changedLines(again.stdout), [], again.stdout);
  });

  it('state removed: the first apply removes, the second changes nothing', async () => {
    const first = await tend(['apply', play('removed'), ...args()]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(changedLines(first.stdout).length, 2, first.stdout);
    for (const h of HOSTS) assert.doesNotMatch(onHost(h, "dpkg-query -W -f='${db:Status-Abbrev}' procmail 2>/dev/null || true"), /^ii/);
    assert.equal((await tend(['apply', play('absent'), ...args(), '--detailed-exitcode'])).code, 0);
  });

  it('use: another package manager is refused before any host is touched', async () => {
    const r = await tend(['apply', writeTemp('yum.yml', '- hosts: all\n  tasks:\n    - package: name=procmail state=present use=yum\n'), ...args()]);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /use: yum is not available: tend's package module runs apt only/);
  });
});

describe('systemd where systemd does not run', () => {
  // Every fleet host is an sshd in namespaces of its own, without systemd (the service
  // module's tests run its init scripts): systemd must say so, not guess.
  for (const mode of ['apply', 'check']) {
    for (const name of ['systemd', 'systemd_service']) {
      it(`${mode}: ${name} enable, mask and restart fail with why`, async () => {
        const r = await tend([mode, writeTemp('systemd.yml', `- hosts: all\n  tasks:\n    - ${name}: name=cron state=restarted enabled=true masked=false\n`), ...args()]);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        for (const h of HOSTS) assert.match(r.stdout, new RegExp(`tend-${h}: failed: \\[1\\] ${name}`, 'i'));
        assert.match(r.stdout, /systemd is not running on this host \(no \/run\/systemd\/system\); the service module manages services without it/);
      });
    }
  }
});
