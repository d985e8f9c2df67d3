import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyScript } from '../../src/engine/batch.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import { detached } from '../../tasks/builtin/apt.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProbeFailed, probedFrom } from '../../src/module.ts';
import { digest } from '../../tasks/builtin/debconf.ts';
import { commandsText, fixture, out, plan, probeText, withSection } from './fixtures.ts';

describe('apt plan', () => {
  it('fresh host: installs the missing packages non-interactively, keeping config files', () => {
    const f = fixture('apt', 'fresh');
    const p = plan('apt', f.params, f.probed);
    assert.deepEqual(
      p.changes.map((c) => [c.subject, c.kind, c.after]),
      [
        ['postfix', 'add', '3.7.11-0+deb12u1'],
        ['procmail', 'add', '3.22-27'],
      ],
    );
    const text = commandsText(p);
    assert.match(text, /\( trap '' HUP; DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a apt-get install -y -q -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold {2}postfix procmail \) > \/var\/lib\/tend\/apt\.log 2>&1/);
    assert.doesNotMatch(text, /apt-get update/, 'no refresh unless update_cache');
  });
  it('converged host: nothing to do', () => {
    const f = fixture('apt', 'converged');
    assert.deepEqual(plan('apt', f.params, f.probed), { changes: [], commands: [] });
  });
  it('refreshes a stale cache before installing, never on its own', () => {
    const fresh = fixture('apt', 'fresh');
    const withRefresh = plan('apt', { ...(fresh.params as object), update_cache: true, cache_valid_time: 60 }, fresh.probed);
    assert.match(commandsText(withRefresh), /^apt-get update -q -o DPkg::Lock::Timeout=300 && mkdir -p \/var\/lib\/apt\/periodic && touch \/var\/lib\/apt\/periodic\/update-success-stamp$/m);
    const young = plan('apt', { ...(fresh.params as object), update_cache: true, cache_valid_time: 10 ** 9 }, fresh.probed);
    assert.doesNotMatch(commandsText(young), /apt-get update/);
    const conv = fixture('apt', 'converged');
    assert.equal(plan('apt', { ...(conv.params as object), update_cache: true }, conv.probed).commands.length, 0);
  });
  it('absent removes only installed packages; latest upgrades to the candidate', () => {
    const conv = fixture('apt', 'converged');
    const absent = plan('apt', { name: ['procmail', 'nonexistent-pkg'], state: 'absent', purge: true }, conv.probed);
    assert.deepEqual(absent.changes.map((c) => c.subject), ['procmail']);
    assert.match(commandsText(absent), /apt-get remove -y -q -o DPkg::Lock::Timeout=300 --purge procmail \)/);
    // With state latest the probe asks apt-cache about every package, installed or not.
    const policy = 'openssl:\n  Installed: 3.0.0-1\n  Candidate: 3.0.22-1~deb12u2\n';
    const older = withSection(conv.probed, 0, (s) => s.replace(/^openssl\tii \t\S+/m, 'openssl\tii \t3.0.0-1') + policy);
    const latest = plan('apt', { name: 'openssl', state: 'latest' }, older);
    assert.deepEqual(latest.changes.map((c) => [c.before, c.after]), [['3.0.0-1', '3.0.22-1~deb12u2']]);
  });
  it('a host without apt fails clearly', () => {
    assert.throws(() => plan('apt', { name: 'x1' }, probedFrom(['', ''], 3, 'apt-cache not found: this is not a Debian host')), ProbeFailed);
  });
  it('refuses names that are not Debian package names', () => {
    assert.throws(() => plan('apt', { name: '-oAPT::x=1' }, out('', '')), { name: 'ZodError', message: /a Debian package name/ });
  });
});

describe('debconf plan', () => {
  it('fresh host: every answer is preseeded and recorded', () => {
    const f = fixture('debconf', 'fresh');
    const p = plan('debconf', f.params, f.probed);
    assert.equal(p.changes.length, 2);
    assert.match(commandsText(p), /debconf-set-selections/);
    assert.match(commandsText(p), /\/var\/lib\/tend\/debconf\/postfix/);
  });
  it('an answer the package rewrote after tend seeded it is in sync (postfix/destinations)', () => {
    const f = fixture('debconf', 'converged');
    // The real database holds postinst's rewritten destinations, not the seeded text…
    assert.match(f.probed.sections[0]!, /^0 \$myhostname, /m);
    // …and still nothing is to be done, because tend's record says it seeded exactly this.
    assert.deepEqual(plan('debconf', f.params, f.probed), { changes: [], commands: [] });
  });
  it('without tend’s record, the same rewritten answer is a change (a naive compare)', () => {
    const f = fixture('debconf', 'converged');
    const p = plan('debconf', f.params, withSection(f.probed, 1, () => ''));
    assert.deepEqual(p.changes.map((c) => c.subject), ['postfix/destinations']);
  });
  it('a changed wanted answer is a change even with a record', () => {
    const f = fixture('debconf', 'converged');
    const params = f.params as { answers: Record<string, { value: string }> };
    const changed = { ...params, answers: { ...params.answers, 'postfix/destinations': { type: 'string', value: 'other' } } };
    assert.deepEqual(plan('debconf', changed, f.probed).changes.map((c) => [c.subject, c.after]), [['postfix/destinations', 'other']]);
  });
  it('password answers are secret', () => {
    const p = plan('debconf', { package: 'pkgx', answers: { 'pkgx/pw': { type: 'password', value: 'hunter2' } } }, out('10 pkgx/pw doesn\'t exist\n', ''));
    assert.equal(p.changes[0]!.secret, true);
    // No digest of the password is written on the host.
    assert.doesNotMatch(commandsText(p), new RegExp(digest('pkgx/pw', 'password', 'hunter2')));
    assert.doesNotMatch(commandsText(p).split('\n')[1]!, /[0-9a-f]{32}/);
  });
});

describe('service plan', () => {
  it('converged: running and enabled, nothing to do', () => {
    const f = fixture('service', 'converged');
    assert.deepEqual(plan('service', f.params, f.probed), { changes: [], commands: [] });
  });
  it('not installed yet: the probe cannot tell, which check mode reports as waiting', () => {
    const f = fixture('service', 'fresh');
    assert.throws(() => plan('service', f.params, f.probed), ProbeFailed);
  });
  it('stopped and disabled on a host without systemd: service start, update-rc.d', () => {
    const p = plan('service', { name: 'postfix', state: 'started', enabled: true }, out('init=sysv\nexists=yes\nrunning=3\nenabled=no\n'));
    assert.equal(commandsText(p), 'service postfix start\nupdate-rc.d postfix defaults && update-rc.d postfix enable');
  });
  it('with systemd: systemctl', () => {
    const p = plan('service', { name: 'postfix', state: 'restarted' }, out('init=systemd\nexists=yes\nrunning=0\nenabled=yes\n'));
    assert.equal(commandsText(p), 'systemctl restart -- postfix');
  });
  it('with systemd, one `systemctl show` says it all: loaded, active, enabled', () => {
    const show = (active: string, file: string, load = 'loaded') => out(`init=systemd\nLoadState=${load}\nActiveState=${active}\nUnitFileState=${file}\n`);
    assert.deepEqual(plan('service', { name: 'postfix', state: 'started', enabled: true }, show('active', 'enabled')), { changes: [], commands: [] });
    assert.deepEqual(plan('service', { name: 'postfix', state: 'started', enabled: true }, show('active', 'static')), { changes: [], commands: [] });
    const stopped = plan('service', { name: 'postfix', state: 'started', enabled: true }, show('inactive', 'disabled'));
    assert.equal(commandsText(stopped), 'systemctl start -- postfix\nsystemctl enable -- postfix');
    assert.equal(commandsText(plan('service', { name: 'postfix', state: 'started' }, show('failed', 'enabled'))), 'systemctl start -- postfix');
    assert.throws(() => plan('service', { name: 'nope', state: 'started' }, show('inactive', '', 'not-found')), ProbeFailed);
  });
  it('a pid file, when given, is read with shell builtins instead of running the init script', () => {
    const script = probeText('service', { name: 'postfix', state: 'started', pidfile: '/var/spool/postfix/pid/master.pid' });
    assert.match(script, /read -r pid < \/var\/spool\/postfix\/pid\/master\.pid$/m);
    assert.doesNotMatch(script, /init\.d\/\$n" status/);
    assert.match(probeText('service', { name: 'postfix', state: 'started' }), /init\.d\/\$n" status/);
  });
  it('reload of a stopped service starts it', () => {
    const p = plan('service', { name: 'postfix', state: 'reloaded' }, out('init=sysv\nexists=yes\nrunning=3\nenabled=yes\n'));
    assert.equal(commandsText(p), 'service postfix start');
  });
});

describe('user plan', () => {
  it('converged: postfix is in sasl', () => {
    const f = fixture('user', 'converged');
    assert.deepEqual(plan('user', f.params, f.probed), { changes: [], commands: [] });
  });
  it('appends a missing group without touching the others', () => {
    const f = fixture('user', 'converged');
    const probed = withSection(f.probed, 1, (s) => s.replace(/^postfix sasl$/m, 'postfix'));
    const p = plan('user', f.params, probed);
    assert.equal(commandsText(p), 'usermod --append --groups sasl -- postfix');
  });
  it('append: false sets the exact list, keeping the primary group', () => {
    const probed = out('bob:x:1000:1000::/home/bob:/bin/sh\n', 'bob adm sasl\n', '', 'sasl\n');
    const p = plan('user', { name: 'bob', groups: ['sasl'], append: false }, probed);
    assert.deepEqual(p.changes.map((c) => `${c.kind} ${c.subject}`), ['remove bob in group adm']);
    assert.equal(commandsText(p), 'usermod --groups sasl -- bob');
  });
  it('a password hash goes through chpasswd on stdin and is secret', () => {
    const probed = out('bob:x:1000:1000::/home/bob:/bin/sh\n', 'bob\n', 'bob:$6$old:1::::::\n', '');
    const p = plan('user', { name: 'bob', password: '$6$new' }, probed);
    assert.deepEqual(p.changes, [{ subject: 'bob password', kind: 'set', secret: true }]);
    assert.equal(commandsText(p), "printf '%s:%s\\n' bob '$6$new' | chpasswd --encrypted");
  });
  it('create: false waits for the user a package makes', () => {
    const f = fixture('user', 'fresh');
    assert.throws(() => plan('user', { ...(f.params as object), create: false }, f.probed), ProbeFailed);
  });
});

describe('apt after an interrupted dpkg', () => {
  it('repairs first with dpkg --configure -a, shown as a change, then installs', () => {
    const conv = fixture('apt', 'converged');
    const broken = probedFrom([...conv.probed.sections, 'interrupted\npostfix half-configured\n']);
    const p = plan('apt', conv.params, broken);
    assert.deepEqual(p.changes.map((c) => `${c.subject}: ${c.reason}`), ['dpkg: dpkg was interrupted (postfix half-configured): dpkg --configure -a']);
    assert.match(commandsText(p), /dpkg --force-confdef --force-confold --configure -a/);
    assert.doesNotMatch(commandsText(p), /--reinstall/);
    // A package whose unpacking was cut short (reinstreq) gets its files again.
    const mess = plan('apt', conv.params, probedFrom([...conv.probed.sections, 'interrupted\nlibpython3.11-minimal reinstreq\n']));
    assert.match(commandsText(mess), /--configure -a; true; } && DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a apt-get install --reinstall .* libpython3\.11-minimal && DEBIAN/);
    const half = plan('apt', { name: 'newpkg' }, probedFrom(['', '0 0\n', 'procmail unpacked\n']));
    assert.deepEqual(half.changes.map((c) => c.subject), ['dpkg', 'newpkg']);
    assert.ok(commandsText(half).indexOf('--configure -a') < commandsText(half).indexOf('apt-get install'));
  });
  it('a healthy dpkg adds nothing', () => {
    const conv = fixture('apt', 'converged');
    assert.deepEqual(plan('apt', conv.params, probedFrom([...conv.probed.sections, ''])), { changes: [], commands: [] });
  });
});

describe('apt commands run detached from the connection', () => {
  // Run in a real shell, with the log moved to a temporary directory.
  const dir = mkdtempSync(join(tmpdir(), 'tend-apt-'));
  const runApply = (commands: ShellText[]) => {
    const text = applyScript(commands).text.replaceAll('/var/lib/tend', dir);
    return spawnSync('/bin/sh', ['-c', text], { encoding: 'utf8' });
  };
  it('the script goes on after a detached command that succeeded, and its output is shown', () => {
    const r = runApply([detached(sh`echo unpacking`), sh`echo after`]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'unpacking\nafter\n');
  });
  it('a detached command that fails stops the script with its own exit status', () => {
    const r = runApply([detached(sh`echo broken; exit 100`), sh`echo never`]);
    assert.equal(r.status, 100);
    assert.equal(r.stdout, 'broken\n');
  });
});

describe('apt: only a package dpkg calls installed (ii) is installed', () => {
  const policy = (pkg: string) => `${pkg}:\n  Installed: (none)\n  Candidate: 1.0-1\n  Version table:\n     1.0-1 500\n`;
  it('removed with its configuration kept (rc), unknown (un), unpacked (iU) or half-configured (iF): not installed, so the plan installs them', () => {
    const status = 'postfix\trc \t3.7.11-0+deb12u1\nprocmail\tun \t\nopenssl\tiU \t3.0.22-1~deb12u2\nmutt\tiF \t2.2.12-0.1~deb12u1\nvim\tii \t2:9.0.1378-2\n';
    const probed = out(status + ['postfix', 'procmail', 'openssl', 'mutt'].map(policy).join(''), '0 0\n', '');
    const p = plan('apt', { name: ['postfix', 'procmail', 'openssl', 'mutt', 'vim'] }, probed);
    assert.deepEqual(p.changes.map((c) => c.subject), ['postfix', 'procmail', 'openssl', 'mutt']);
    assert.match(commandsText(p), / {2}postfix procmail openssl mutt \)/);
  });
  it('state absent leaves alone what is not installed (rc, un), and removes what is', () => {
    const probed = out('postfix\trc \t3.7.11-0+deb12u1\nprocmail\tun \t\nvim\tii \t2:9.0.1378-2\n', '0 0\n', '');
    const p = plan('apt', { name: ['postfix', 'procmail', 'vim'], state: 'absent' }, probed);
    assert.deepEqual(p.changes.map((c) => c.subject), ['vim']);
  });
});
