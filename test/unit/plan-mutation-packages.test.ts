// The plans of apt, service, user and debconf, case by case (issue #18: tests that a
// mutated plan fails). Ansible's modules are the spec: apt installs what is missing,
// upgrades with `latest`, refreshes the cache only when it is older than
// cache_valid_time; service starts/stops only on a difference and always restarts;
// user adds groups (append) or sets them exactly, and so on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProbeFailed, probedFrom } from '../../src/module.ts';
import { digest } from '../../tasks/builtin/debconf.ts';
import { commandsText, out, plan } from './fixtures.ts';

/** dpkg-query's line for an installed package, and apt-cache policy's block. */
const ii = (pkg: string, version: string) => `${pkg}\tii \t${version}\n`;
const policy = (pkg: string, candidate: string, installed = '(none)') => `${pkg}:\n  Installed: ${installed}\n  Candidate: ${candidate}\n  Version table:\n`;
/** An apt probe: packages section, cache times (now, stamp), dpkg health. */
const aptProbe = (packages: string, times = '1000 1000\n', health = '') => out(packages, times, health);

describe('apt plan: the probe', () => {
  it('a failed probe is a ProbeFailed with its message, or its exit status', () => {
    assert.throws(() => plan('apt', { name: 'x1' }, probedFrom(['', '', ''], 3, ' apt-cache not found \n')), (e: Error) => e instanceof ProbeFailed && e.message === 'apt-cache not found');
    assert.throws(() => plan('apt', { name: 'x1' }, probedFrom(['', '', ''], 4, '')), (e: Error) => e instanceof ProbeFailed && e.message === 'probe exited 4');
  });
});

describe('apt plan: present, latest, absent', () => {
  it('present: an installed package is left at its version even when a newer one is known', () => {
    assert.deepEqual(plan('apt', { name: 'postfix' }, aptProbe(ii('postfix', '3.7.10-0+deb12u1') + policy('postfix', '3.7.11-0+deb12u1', '3.7.10-0+deb12u1'))), { changes: [], commands: [] });
  });
  it('present: a missing package is installed at its candidate; one apt knows no candidate for says install', () => {
    const p = plan('apt', { name: ['mutt', 'ghost'] }, aptProbe(policy('mutt', '2.2.12-0.1~deb12u1') + policy('ghost', '(none)')));
    assert.deepEqual(p.changes, [
      { subject: 'mutt', kind: 'add', before: null, after: '2.2.12-0.1~deb12u1' },
      { subject: 'ghost', kind: 'add', before: null, after: 'install' },
    ]);
    assert.equal(p.commands.length, 1);
    assert.match(commandsText(p), / {2}mutt ghost \) > \/var\/lib\/tend\/apt\.log/);
    // A name apt-cache does not know prints no policy at all: still "install" (apt-get says why it cannot).
    assert.deepEqual(plan('apt', { name: 'nosuchpkg' }, aptProbe('')).changes, [{ subject: 'nosuchpkg', kind: 'add', before: null, after: 'install' }]);
  });
  it('latest: the same version, or no candidate, is nothing; another candidate is an upgrade to it', () => {
    const installed = ii('openssl', '3.0.22-1~deb12u2');
    assert.deepEqual(plan('apt', { name: 'openssl', state: 'latest' }, aptProbe(installed + policy('openssl', '3.0.22-1~deb12u2', '3.0.22-1~deb12u2'))), { changes: [], commands: [] });
    assert.deepEqual(plan('apt', { name: 'openssl', state: 'latest' }, aptProbe(installed + policy('openssl', '(none)', '3.0.22-1~deb12u2'))), { changes: [], commands: [] });
    const up = plan('apt', { name: 'openssl', state: 'latest' }, aptProbe(installed + policy('openssl', '3.0.23-1~deb12u1', '3.0.22-1~deb12u2')));
    assert.deepEqual(up.changes, [{ subject: 'openssl', kind: 'set', before: '3.0.22-1~deb12u2', after: '3.0.23-1~deb12u1' }]);
    assert.match(commandsText(up), /apt-get install -y -q -o DPkg::Lock::Timeout=300 .* {2}openssl \)/);
    assert.doesNotMatch(commandsText(up), /apt-get remove/);
  });
  it('latest: a missing package is installed', () => {
    const p = plan('apt', { name: 'mutt', state: 'latest' }, aptProbe(policy('mutt', '2.2.12')));
    assert.deepEqual(p.changes, [{ subject: 'mutt', kind: 'add', before: null, after: '2.2.12' }]);
  });
  it('absent: removed with its version shown, kept configuration unless purge', () => {
    const p = plan('apt', { name: 'procmail', state: 'absent' }, aptProbe(ii('procmail', '3.22-27')));
    assert.deepEqual(p.changes, [{ subject: 'procmail', kind: 'remove', before: '3.22-27', after: null }]);
    assert.equal(p.commands.length, 1);
    assert.match(commandsText(p), /\( trap '' HUP; DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a apt-get remove -y -q -o DPkg::Lock::Timeout=300 {2}procmail \) > \/var\/lib\/tend\/apt\.log 2>&1/);
    assert.doesNotMatch(commandsText(p), /--purge|apt-get install/);
  });
  it('a provided name stands for its provider only when the name itself is not installed', () => {
    const probed = aptProbe(`${ii('libdb5.3', '5.3.28+dfsg2-1')}libdb5.3\tprovided-by\tlibdb5.3t64\t5.3.28+dfsg2-9\n${policy('libdb5.3', '5.3.28+dfsg2-2', '5.3.28+dfsg2-1')}`);
    const up = plan('apt', { name: 'libdb5.3', state: 'latest' }, probed);
    assert.deepEqual(up.changes, [{ subject: 'libdb5.3', kind: 'set', before: '5.3.28+dfsg2-1', after: '5.3.28+dfsg2-2' }]);
    // Absent removes the package of that name, and only it.
    const absent = plan('apt', { name: 'libdb5.3', state: 'absent' }, probed);
    assert.deepEqual(absent.changes.map((c) => c.subject), ['libdb5.3']);
  });
  it('the options: install_recommends false, lock_timeout, purge', () => {
    const install = plan('apt', { name: 'mutt', install_recommends: false, lock_timeout: 60 }, aptProbe(policy('mutt', '2.2.12')));
    assert.match(commandsText(install), /apt-get install -y -q -o DPkg::Lock::Timeout=60 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold --no-install-recommends mutt \)/);
    const recommends = plan('apt', { name: 'mutt' }, aptProbe(policy('mutt', '2.2.12')));
    assert.doesNotMatch(commandsText(recommends), /no-install-recommends/);
    const purge = plan('apt', { name: 'mutt', state: 'absent', purge: true, lock_timeout: 0 }, aptProbe(ii('mutt', '2.2.12')));
    assert.match(commandsText(purge), /apt-get remove -y -q -o DPkg::Lock::Timeout=0 --purge mutt \)/);
  });
});

describe('apt plan: the cache (update_cache, cache_valid_time)', () => {
  const missing = (times: string) => aptProbe(policy('mutt', '2.2.12'), times);
  const update = /^apt-get update -q -o DPkg::Lock::Timeout=300 && mkdir -p \/var\/lib\/apt\/periodic && touch \/var\/lib\/apt\/periodic\/update-success-stamp$/m;
  it('refreshed before an install when older than cache_valid_time, and not when exactly that old', () => {
    const stale = plan('apt', { name: 'mutt', update_cache: true, cache_valid_time: 3600 }, missing('10000 6399\n'));
    assert.equal(stale.commands.length, 2);
    assert.match(stale.commands[0]!.text, update);
    assert.match(stale.commands[1]!.text, /apt-get install/);
    // The install is the change shown; the refresh serves it.
    assert.deepEqual(stale.changes.map((c) => c.subject), ['mutt']);
    const young = plan('apt', { name: 'mutt', update_cache: true, cache_valid_time: 3600 }, missing('10000 6400\n'));
    assert.equal(young.commands.length, 1);
    assert.doesNotMatch(commandsText(young), /apt-get update/);
  });
  it('not asked for (update_cache false), a stale cache is not refreshed', () => {
    assert.doesNotMatch(commandsText(plan('apt', { name: 'mutt' }, missing('10000 0\n'))), /apt-get update/);
  });
  it('latest refreshes a stale cache even when nothing is to be installed yet, and shows why', () => {
    const installed = aptProbe(ii('openssl', '3.0.22') + policy('openssl', '3.0.22', '3.0.22'), '10000 4000\n');
    const p = plan('apt', { name: 'openssl', state: 'latest', update_cache: true, cache_valid_time: 60 }, installed);
    assert.deepEqual(p.changes, [{ subject: 'apt cache', kind: 'run', reason: 'refresh (6000s old)' }]);
    assert.equal(commandsText(p), 'apt-get update -q -o DPkg::Lock::Timeout=300 && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/update-success-stamp');
    const never = plan('apt', { name: 'openssl', state: 'latest', update_cache: true }, aptProbe(ii('openssl', '3.0.22') + policy('openssl', '3.0.22', '3.0.22'), '10000 0\n'));
    assert.deepEqual(never.changes, [{ subject: 'apt cache', kind: 'run', reason: 'refresh (never refreshed)' }]);
    // present with everything installed: a stale cache alone is no change.
    assert.deepEqual(plan('apt', { name: 'openssl', update_cache: true }, installed), { changes: [], commands: [] });
  });
  it('refresh then removal: a removal needs no refresh', () => {
    const p = plan('apt', { name: 'mutt', state: 'absent', update_cache: true }, aptProbe(ii('mutt', '2.2.12'), '10000 0\n'));
    assert.doesNotMatch(commandsText(p), /apt-get update/);
  });
});

describe('apt plan: dpkg left half-done', () => {
  it('interrupted with nothing half-done: the reason lists no packages', () => {
    const p = plan('apt', { name: 'mutt' }, aptProbe(ii('mutt', '2.2.12'), '1 1\n', 'interrupted\n'));
    assert.deepEqual(p.changes, [{ subject: 'dpkg', kind: 'run', reason: 'dpkg was interrupted: dpkg --configure -a' }]);
    assert.equal(commandsText(p).split('\n').length, 1);
    assert.match(commandsText(p), /\( trap '' HUP; DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a dpkg --force-confdef --force-confold --configure -a \) > /);
  });
  it('half-installed packages (not interrupted) are reinstalled between two configure passes, before the install', () => {
    const p = plan('apt', { name: 'newpkg', lock_timeout: 30 }, aptProbe(policy('newpkg', '1.0'), '1 1\n', 'libc-bin half-installed\npostfix half-configured\nlibssl3 reinstreq\n'));
    assert.deepEqual(p.changes, [
      { subject: 'dpkg', kind: 'run', reason: 'packages were left half-done (libc-bin half-installed, postfix half-configured, libssl3 reinstreq): dpkg --configure -a, reinstall libc-bin libssl3' },
      { subject: 'newpkg', kind: 'add', before: null, after: '1.0' },
    ]);
    assert.equal(p.commands.length, 2);
    assert.match(
      p.commands[0]!.text,
      /\{ DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a dpkg --force-confdef --force-confold --configure -a; true; \} && DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a apt-get install --reinstall -y -q -o DPkg::Lock::Timeout=30 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold libc-bin libssl3 && DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a dpkg --force-confdef --force-confold --configure -a \)/,
    );
    assert.match(p.commands[1]!.text, /apt-get install -y -q -o DPkg::Lock::Timeout=30 .* newpkg \)/);
  });
});

describe('service plan', () => {
  const sysv = (running: boolean, enabled: boolean) => out(`init=sysv\nexists=yes\nrunning=${running ? 0 : 3}\nenabled=${enabled ? 'yes' : 'no'}\n`);
  const systemd = (running: boolean, enabled: boolean) => out(`init=systemd\nLoadState=loaded\nActiveState=${running ? 'active' : 'inactive'}\nUnitFileState=${enabled ? 'enabled' : 'disabled'}\n`);
  it('a service that is not installed is a ProbeFailed naming it', () => {
    assert.throws(() => plan('service', { name: 'postfix', state: 'started' }, out('init=sysv\nexists=no\nrunning=3\nenabled=no\n')), (e: Error) => e instanceof ProbeFailed && e.message === 'service postfix is not installed');
  });
  it('started: a running service is left alone; a stopped one is started, shown stopped → running', () => {
    assert.deepEqual(plan('service', { name: 'postfix', state: 'started' }, sysv(true, false)), { changes: [], commands: [] });
    const p = plan('service', { name: 'postfix', state: 'started' }, systemd(false, true));
    assert.deepEqual(p.changes, [{ subject: 'postfix', kind: 'set', before: 'stopped', after: 'running' }]);
    assert.equal(commandsText(p), 'systemctl start -- postfix');
  });
  it('stopped: a stopped service is left alone; a running one is stopped', () => {
    assert.deepEqual(plan('service', { name: 'postfix', state: 'stopped' }, systemd(false, true)), { changes: [], commands: [] });
    const p = plan('service', { name: 'postfix', state: 'stopped' }, sysv(true, true));
    assert.deepEqual(p.changes, [{ subject: 'postfix', kind: 'set', before: 'running', after: 'stopped' }]);
    assert.equal(commandsText(p), 'service postfix stop');
    assert.equal(commandsText(plan('service', { name: 'postfix', state: 'stopped' }, systemd(true, true))), 'systemctl stop -- postfix');
  });
  it('restarted: always runs; a stopped service is started', () => {
    const running = plan('service', { name: 'postfix', state: 'restarted' }, sysv(true, true));
    assert.deepEqual(running.changes, [{ subject: 'postfix', kind: 'run', reason: 'restart' }]);
    assert.equal(commandsText(running), 'service postfix restart');
    const stopped = plan('service', { name: 'postfix', state: 'restarted' }, systemd(false, true));
    assert.deepEqual(stopped.changes, [{ subject: 'postfix', kind: 'run', reason: 'start (was stopped)' }]);
    assert.equal(commandsText(stopped), 'systemctl start -- postfix');
  });
  it('reloaded: a running service is reloaded; a stopped one started', () => {
    const running = plan('service', { name: 'postfix', state: 'reloaded' }, systemd(true, true));
    assert.deepEqual(running.changes, [{ subject: 'postfix', kind: 'run', reason: 'reload' }]);
    assert.equal(commandsText(running), 'systemctl reload -- postfix');
    const stopped = plan('service', { name: 'postfix', state: 'reloaded' }, sysv(false, true));
    assert.deepEqual(stopped.changes, [{ subject: 'postfix', kind: 'run', reason: 'start (was stopped)' }]);
  });
  it('enabled only (no state): enabled or disabled at boot, shown before → after', () => {
    assert.deepEqual(plan('service', { name: 'postfix', enabled: true }, sysv(false, true)), { changes: [], commands: [] });
    assert.deepEqual(plan('service', { name: 'postfix', enabled: false }, systemd(true, false)), { changes: [], commands: [] });
    const enable = plan('service', { name: 'postfix', enabled: true }, systemd(false, false));
    assert.deepEqual(enable.changes, [{ subject: 'postfix at boot', kind: 'set', before: 'disabled', after: 'enabled' }]);
    assert.equal(commandsText(enable), 'systemctl enable -- postfix');
    const disable = plan('service', { name: 'postfix', enabled: false }, systemd(true, true));
    assert.deepEqual(disable.changes, [{ subject: 'postfix at boot', kind: 'set', before: 'enabled', after: 'disabled' }]);
    assert.equal(commandsText(disable), 'systemctl disable -- postfix');
    assert.equal(commandsText(plan('service', { name: 'postfix', enabled: false }, sysv(true, true))), 'update-rc.d postfix disable');
  });
});

describe('user plan', () => {
  const passwd = (name: string, shell = '/bin/sh') => `${name}:x:1000:1000::/home/${name}:${shell}\n`;
  it('absent: a missing user is nothing; an existing one is removed (its home kept, as Ansible without remove)', () => {
    assert.deepEqual(plan('user', { name: 'bob', state: 'absent' }, out('', '', '', '')), { changes: [], commands: [] });
    const p = plan('user', { name: 'bob', state: 'absent' }, out(passwd('bob'), 'bob\n', '', ''));
    assert.deepEqual(p.changes, [{ subject: 'bob', kind: 'remove', before: 'user', after: null }]);
    assert.equal(commandsText(p), 'userdel -- bob');
  });
  it('a group that does not exist is a ProbeFailed naming every missing one', () => {
    assert.throws(() => plan('user', { name: 'bob', groups: ['sasl', 'nogrp', 'other'] }, out(passwd('bob'), 'bob\n', '', 'sasl\n')), (e: Error) => e instanceof ProbeFailed && e.message === 'group nogrp, other does not exist');
  });
  it('a missing user is created: home, shell, groups and password as asked', () => {
    const p = plan('user', { name: 'bob', groups: ['sasl', 'adm'], shell: '/bin/bash', password: '$6$h' }, out('', '', '', 'sasl\nadm\n'));
    assert.deepEqual(p.changes, [
      { subject: 'bob', kind: 'add', before: null, after: 'user' },
      { subject: 'bob in group sasl', kind: 'add', before: null, after: null },
      { subject: 'bob in group adm', kind: 'add', before: null, after: null },
      { subject: 'bob password', kind: 'set', secret: true },
    ]);
    assert.equal(commandsText(p), "useradd --create-home --shell /bin/bash --groups sasl,adm -- bob\nprintf '%s:%s\\n' bob '$6$h' | chpasswd --encrypted");
  });
  it('create: false: a missing user (one a package is to make) is a ProbeFailed that says so', () => {
    assert.throws(() => plan('user', { name: 'postfix', create: false }, out('', '', '', '')), (e: Error) => e instanceof ProbeFailed && e.message === 'user postfix does not exist (and create is false)');
  });
  it('a system user without a home: --system, no --create-home', () => {
    const p = plan('user', { name: 'svc', system: true, create_home: false }, out('', '', '', ''));
    assert.deepEqual(p.changes, [{ subject: 'svc', kind: 'add', before: null, after: 'user' }]);
    assert.equal(commandsText(p), 'useradd --system -- svc');
  });
  it('an existing user: a new shell is set; the same shell is nothing', () => {
    assert.deepEqual(plan('user', { name: 'bob', shell: '/bin/sh' }, out(passwd('bob'), 'bob\n', '', '')), { changes: [], commands: [] });
    const p = plan('user', { name: 'bob', shell: '/bin/bash' }, out(passwd('bob'), 'bob\n', '', ''));
    assert.deepEqual(p.changes, [{ subject: 'bob shell', kind: 'set', before: '/bin/sh', after: '/bin/bash' }]);
    assert.equal(commandsText(p), 'usermod --shell /bin/bash -- bob');
  });
  it('the same password hash is nothing', () => {
    assert.deepEqual(plan('user', { name: 'bob', password: '$6$h' }, out(passwd('bob'), 'bob\n', 'bob:$6$h:1::::::\n', '')), { changes: [], commands: [] });
  });
  it('append (the default) adds groups, never removes; several are added in one usermod', () => {
    const p = plan('user', { name: 'bob', groups: ['sasl', 'adm'] }, out(passwd('bob'), 'bob staff\n', '', 'sasl\nadm\n'));
    assert.deepEqual(p.changes.map((c) => `${c.kind} ${c.subject}`), ['add bob in group sasl', 'add bob in group adm']);
    assert.equal(commandsText(p), 'usermod --append --groups sasl,adm -- bob');
  });
  it('append: false sets the list exactly: an added group too, never the primary group', () => {
    const p = plan('user', { name: 'bob', groups: ['sasl', 'adm'], append: false }, out(passwd('bob'), 'bob adm staff\n', '', 'sasl\nadm\n'));
    assert.deepEqual(p.changes.map((c) => `${c.kind} ${c.subject}`), ['add bob in group sasl', 'remove bob in group staff']);
    assert.equal(commandsText(p), 'usermod --groups sasl,adm -- bob');
    const add = plan('user', { name: 'bob', groups: ['sasl'], append: false }, out(passwd('bob'), 'bob\n', '', 'sasl\n'));
    assert.equal(commandsText(add), 'usermod --groups sasl -- bob');
    // Without groups, append: false touches no group.
    assert.deepEqual(plan('user', { name: 'bob', append: false }, out(passwd('bob'), 'bob adm\n', '', '')), { changes: [], commands: [] });
  });
});

describe('debconf plan', () => {
  const answers = { 'postfix/mailname': { type: 'string', value: 'mail.example.org' }, 'postfix/main_mailer_type': { type: 'select', value: 'Internet Site' } };
  it('a failed probe is a ProbeFailed with its message, or its exit status', () => {
    assert.throws(() => plan('debconf', { package: 'postfix', answers }, probedFrom(['', ''], 127, ' debconf-communicate not found\n')), (e: Error) => e instanceof ProbeFailed && e.message === 'debconf-communicate not found');
    assert.throws(() => plan('debconf', { package: 'postfix', answers }, probedFrom(['', ''], 2, '')), (e: Error) => e instanceof ProbeFailed && e.message === 'probe exited 2');
  });
  it('answers the database holds are in sync; the others are set, all in one debconf-set-selections', () => {
    assert.deepEqual(plan('debconf', { package: 'postfix', answers }, out('0 mail.example.org\n0 Internet Site\n', '')), { changes: [], commands: [] });
    const p = plan('debconf', { package: 'postfix', answers }, out('0 old.example.org\n10 postfix/main_mailer_type doesn\'t exist\n', ''));
    assert.deepEqual(p.changes, [
      { subject: 'postfix/mailname', kind: 'set', before: 'old.example.org', after: 'mail.example.org', secret: false },
      { subject: 'postfix/main_mailer_type', kind: 'set', before: null, after: 'Internet Site', secret: false },
    ]);
    assert.equal(p.commands[0]!.text, "printf '%s\\n' 'postfix postfix/mailname string mail.example.org' 'postfix postfix/main_mailer_type select Internet Site' | debconf-set-selections");
  });
  it('the record lists a digest of every answer (not only the changed ones), in the package’s file', () => {
    const p = plan('debconf', { package: 'postfix', answers }, out('0 old.example.org\n0 Internet Site\n', ''));
    assert.match(p.commands[1]!.text, /^mkdir -p -m 0700 \/var\/lib\/tend\/debconf && printf '%s\\n' [0-9a-f]{32} [0-9a-f]{32} > \/var\/lib\/tend\/debconf\/postfix$/);
  });
  it('a recorded answer the database no longer has (the question is gone) is set again', () => {
    const first = plan('debconf', { package: 'postfix', answers }, out('10 x\n10 y\n', ''));
    const record = first.commands[1]!.text.match(/[0-9a-f]{32}/g)!.join('\n');
    const p = plan('debconf', { package: 'postfix', answers }, out("10 postfix/mailname doesn't exist\n0 Internet Site\n", `${record}\n`));
    assert.deepEqual(p.changes.map((c) => c.subject), ['postfix/mailname']);
    // A password answer is in sync only when the database holds it, whatever a record says.
    const pw = { 'pkgx/pw': { type: 'password', value: 'hunter2' } };
    const planted = plan('debconf', { package: 'pkgx', answers: pw }, out('0 \n', `${digest('pkgx/pw', 'password', 'hunter2')}\n`));
    assert.deepEqual(planted.changes, [{ subject: 'pkgx/pw', kind: 'set', before: '', after: 'hunter2', secret: true }]);
    // And one it has, rewritten by the package since: in sync.
    assert.deepEqual(plan('debconf', { package: 'postfix', answers }, out('0 rewritten\n0 Internet Site\n', `${record}\n`)), { changes: [], commands: [] });
  });
});
