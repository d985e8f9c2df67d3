import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyScript } from '../../src/engine/batch.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import apt, { detached, PROVIDERS_AWK } from '../../tasks/builtin/apt.ts';
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

// Debian 13 renamed libraries for 64-bit time_t: libdb5.3t64 replaces libdb5.3 and
// provides it, so `libdb5.3` names no installed package there. The probe runs here, in
// /bin/sh, over what a real trixie host said (test/fixtures/apt/trixie/, recorded by
// test/fixtures/apt/record-trixie.sh): its dpkg status file, read by this machine's own
// dpkg-query and awk (DPKG_ADMINDIR is dpkg's variable), and its `apt-cache policy`
// answers, given back by a stand-in that records what it was asked.
describe('apt on trixie: a virtual package is its installed provider (libdb5.3 → libdb5.3t64)', () => {
  const captured = new URL('../fixtures/apt/trixie/', import.meta.url).pathname;
  const runProbe = (params: unknown, statusFile: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-apt-trixie-'));
    mkdirSync(join(dir, 'admin'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(captured, statusFile), join(dir, 'admin', 'status'));
    // apt-cache policy NAME…: the captured answer for each name, in the order asked.
    writeFileSync(
      join(dir, 'bin', 'apt-cache'),
      `#!/bin/sh\necho "$*" >> '${dir}/asked'\n[ "$1" = policy ] && shift && [ "$1" = -- ] && shift\nfor n in "$@"; do cat '${captured}'/policy."$n" 2>/dev/null; done\n`,
      { mode: 0o755 },
    );
    // The first of the probe's snippets: dpkg, the providers, apt-cache.
    const snippets = apt.probe(apt.params.parse(params));
    const r = spawnSync('/bin/sh', ['-c', (Array.isArray(snippets) ? snippets[0]! : snippets).text], {
      encoding: 'utf8',
      env: { PATH: `${dir}/bin:/usr/bin:/bin`, DPKG_ADMINDIR: join(dir, 'admin') },
    });
    assert.equal(r.status, 0, r.stderr);
    const asked = existsSync(join(dir, 'asked')) ? readFileSync(join(dir, 'asked'), 'utf8') : '';
    return { stdout: r.stdout, asked, probed: out(r.stdout, '1 1\n', '') };
  };
  const seed = { name: ['libdb5.3', 'postfix', 'sasl2-bin', 'libsasl2-modules', 'openssl'] };

  it('fresh trixie host: libdb5.3 is provided, apt-cache is asked only about the missing packages, only they are installed', () => {
    const { stdout, asked, probed } = runProbe(seed, 'status.fresh');
    assert.match(stdout, /^libdb5\.3\tprovided-by\tlibdb5\.3t64\t5\.3\.28\+dfsg2-9$/m);
    assert.equal(asked, 'policy -- postfix sasl2-bin libsasl2-modules\n');
    const p = plan('apt', seed, probed);
    assert.deepEqual(p.changes.map((c) => [c.subject, c.kind]), [['postfix', 'add'], ['sasl2-bin', 'add'], ['libsasl2-modules', 'add']]);
    assert.match(commandsText(p), / {2}postfix sasl2-bin libsasl2-modules \)/);
  });

  it('converged trixie host: nothing to do, and apt-cache is not asked (the converged check stays cheap)', () => {
    const { asked, probed } = runProbe(seed, 'status.converged');
    assert.equal(asked, '');
    assert.deepEqual(plan('apt', seed, probed), { changes: [], commands: [] });
  });

  it('without the provider lines (what the probe said before), libdb5.3 was installed again on every run', () => {
    const { probed } = runProbe(seed, 'status.converged');
    const before = withSection(probed, 0, (s) => s.replace(/^.*\tprovided-by\t.*\n/gm, '') + readFileSync(join(captured, 'policy.libdb5.3'), 'utf8'));
    assert.deepEqual(plan('apt', seed, before).changes.map((c) => [c.subject, c.kind, c.after]), [['libdb5.3', 'add', 'install']]);
  });

  it('the captured probe of a real converged trixie host plans nothing', () => {
    const data = JSON.parse(readFileSync(new URL('../fixtures/probes/apt.trixie-converged.json', import.meta.url), 'utf8'));
    assert.ok((data.params.name as string[]).includes('libdb5.3'));
    assert.match(data.sections[0], /^libdb5\.3\tprovided-by\tlibdb5\.3t64\t/m);
    assert.deepEqual(plan('apt', data.params, probedFrom(data.sections, data.code)), { changes: [], commands: [] });
  });

  it('latest: a provided name follows its provider’s candidate; absent never removes the provider', () => {
    const { stdout, asked, probed } = runProbe({ name: ['libdb5.3', 'openssl'], state: 'latest' }, 'status.converged');
    assert.equal(asked, 'policy -- libdb5.3 openssl libdb5.3t64\n', stdout);
    assert.deepEqual(plan('apt', { name: ['libdb5.3', 'openssl'], state: 'latest' }, probed), { changes: [], commands: [] });
    const newer = withSection(probed, 0, (s) => s.replace(/(libdb5\.3t64:\n {2}Installed: \S+\n {2}Candidate: )\S+/, '$15.3.28+dfsg2-10'));
    const up = plan('apt', { name: ['libdb5.3', 'openssl'], state: 'latest' }, newer);
    assert.deepEqual(up.changes.map((c) => [c.subject, c.before, c.after]), [['libdb5.3t64', '5.3.28+dfsg2-9', '5.3.28+dfsg2-10']]);
    assert.match(commandsText(up), / {2}libdb5\.3t64 \)/);
    assert.deepEqual(plan('apt', { name: 'libdb5.3', state: 'absent' }, probed), { changes: [], commands: [] });
  });

  it('Provides lists: versions, architectures and several names read; a provider that is not installed does not count', () => {
    const status = [
      'Package: mawk\nStatus: install ok installed\nVersion: 1.3.4\nProvides: awk',
      'Package: libfoo2t64\nArchitecture: amd64\nStatus: install ok installed\nVersion: 2.0-1\nProvides: libfoo2 (= 2.0-1), foo-any:any, foo-x',
      'Package: exim4-daemon-light\nStatus: deinstall ok config-files\nVersion: 4.96-1\nProvides: mail-transport-agent',
    ].join('\n\n');
    const dir = mkdtempSync(join(tmpdir(), 'tend-apt-provides-'));
    writeFileSync(join(dir, 'status'), `${status}\n`);
    const r = spawnSync('awk', ['-v', 'want= awk libfoo2 foo-any foo-x mail-transport-agent', PROVIDERS_AWK, join(dir, 'status')], { encoding: 'utf8' });
    assert.equal(r.stdout, 'awk\tprovided-by\tmawk\t1.3.4\nlibfoo2\tprovided-by\tlibfoo2t64\t2.0-1\nfoo-any\tprovided-by\tlibfoo2t64\t2.0-1\nfoo-x\tprovided-by\tlibfoo2t64\t2.0-1\n');
  });
});
