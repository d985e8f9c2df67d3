// The plans of cron, group, sysctl and apt_repository, case by case (issue #18: tests
// that a mutated plan fails). Ansible's modules are the spec: cron keeps a named entry
// under its marker line, group creates or changes a gid, sysctl writes the drop-in and
// sets the running value, apt_repository writes the source and its key and refreshes
// the lists only with a change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Plan } from '../../src/module.ts';
import { commandsText, out, plan, walked } from './fixtures.ts';

/** The contents the plan's staged writes put in place (carried as base64), in order. */
const written = (p: Plan) => [...commandsText(p).matchAll(/printf '%s' '?([A-Za-z0-9+/=]*)'? \| base64 -d > new/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));
/** A write of a new file sets root:root 0644 on it; an existing one's is replaced the same way. */
const rootFile = /^chown -h -- root:root new &&\nchmod -- 0644 new &&$/m;

describe('cron plan', () => {
  const job = { name: 'queue report', job: '/usr/sbin/postqueue -p', hour: 6, minute: 0 };
  const entry = '#tend: queue report\n0 6 * * * root /usr/sbin/postqueue -p\n';
  it('a new entry in a new file: root 0644, shown as added', () => {
    const p = plan('cron', { ...job, file: 'mail', user: 'postfix', special_time: 'daily' }, out('missing\n'));
    assert.deepEqual(p.changes, [{ subject: '/etc/cron.d/mail: queue report', kind: 'add', before: null, after: '@daily postfix /usr/sbin/postqueue -p' }]);
    assert.deepEqual(written(p), ['#tend: queue report\n@daily postfix /usr/sbin/postqueue -p\n']);
    assert.match(commandsText(p), rootFile);
    assert.match(walked(commandsText(p)), /^tend_chase \/etc\/cron\.d\/mail 0 0 0 \|\|/m);
  });
  it('another schedule: the entry is replaced in place, the other lines kept, shown before → after', () => {
    const p = plan('cron', { ...job, weekday: 'mon-fri', day: '1-15', month: '*/2' }, out(`present\n# mine\n${entry}`));
    assert.deepEqual(p.changes, [{ subject: '/etc/cron.d/tend: queue report', kind: 'set', before: '0 6 * * * root /usr/sbin/postqueue -p', after: '0 6 1-15 */2 mon-fri root /usr/sbin/postqueue -p' }]);
    assert.deepEqual(written(p), ['# mine\n#tend: queue report\n0 6 1-15 */2 mon-fri root /usr/sbin/postqueue -p\n']);
    // The entry first in the file, likewise.
    const first = plan('cron', { ...job, hour: 7 }, out(`present\n${entry}`));
    assert.deepEqual(first.changes, [{ subject: '/etc/cron.d/tend: queue report', kind: 'set', before: '0 6 * * * root /usr/sbin/postqueue -p', after: '0 7 * * * root /usr/sbin/postqueue -p' }]);
  });
  it('absent: an entry not there is nothing; one there is removed from a file that keeps others', () => {
    assert.deepEqual(plan('cron', { name: 'queue report', state: 'absent' }, out('missing\n')), { changes: [], commands: [] });
    assert.deepEqual(plan('cron', { name: 'queue report', state: 'absent' }, out('present\n#tend: other\n@daily root x\n')), { changes: [], commands: [] });
    const p = plan('cron', { name: 'queue report', state: 'absent' }, out(`present\n#tend: other\n@daily root x\n${entry}`));
    assert.deepEqual(p.changes, [{ subject: '/etc/cron.d/tend: queue report', kind: 'remove', before: '0 6 * * * root /usr/sbin/postqueue -p', after: null }]);
    assert.deepEqual(written(p), ['#tend: other\n@daily root x\n']);
    assert.doesNotMatch(commandsText(p), /rm -f/);
  });
  it('an unsafe path to the file is refused', () => {
    assert.throws(() => plan('cron', job, out('unsafe /etc/cron.d is writable by alice\n')), { message: '/etc/cron.d is writable by alice' });
  });
});

describe('group plan', () => {
  it('absent: an existing group is removed, shown with its gid; a missing one is nothing', () => {
    const p = plan('group', { name: 'old', state: 'absent' }, out('old:x:1006:\n'));
    assert.deepEqual(p.changes, [{ subject: 'group old', kind: 'remove', before: 'gid 1006', after: null }]);
    assert.equal(commandsText(p), 'groupdel -- old');
  });
  it('a missing group: created with the gid, as a system group when asked', () => {
    const p = plan('group', { name: 'mailadm', gid: 2001, system: true }, out(''));
    assert.deepEqual(p.changes, [{ subject: 'group mailadm', kind: 'add', before: null, after: 'gid 2001' }]);
    assert.match(commandsText(p), /^groupadd --gid 2001 --system -- mailadm$/);
    const plain = plan('group', { name: 'mailadm' }, out(''));
    assert.deepEqual(plain.changes, [{ subject: 'group mailadm', kind: 'add', before: null, after: 'new group' }]);
    assert.match(commandsText(plain), /^groupadd +-- mailadm$/);
  });
  it('an existing group: its gid is changed only when one is asked for and differs', () => {
    assert.deepEqual(plan('group', { name: 'mailadm' }, out('mailadm:x:1005:\n')), { changes: [], commands: [] });
    assert.deepEqual(plan('group', { name: 'mailadm', system: true }, out('mailadm:x:1005:\n')), { changes: [], commands: [] });
    assert.equal(commandsText(plan('group', { name: 'mailadm', gid: 0 }, out('mailadm:x:1005:\n'))), 'groupmod --gid 0 -- mailadm');
  });
});

describe('sysctl plan', () => {
  const p = { name: 'vm.swappiness', value: 10 };
  it('a drop-in that says another value: replaced in it (other lines kept), shown before → after', () => {
    const plan1 = plan('sysctl', { ...p, file: 'mine.conf' }, out('10\n', 'present\n# tuning\nvm.swappiness = 60\n'));
    assert.deepEqual(plan1.changes, [{ subject: '/etc/sysctl.d/mine.conf: vm.swappiness', kind: 'set', before: '60', after: '10' }]);
    assert.deepEqual(written(plan1), ['# tuning\nvm.swappiness = 10\n']);
    assert.match(walked(commandsText(plan1)), /^tend_chase \/etc\/sysctl\.d\/mine\.conf 0 0 0 \|\|/m);
    assert.match(commandsText(plan1), /^chown -h -- root:root new &&$/m);
    assert.match(commandsText(plan1), /^chmod -- 0644 new &&$/m);
    assert.doesNotMatch(commandsText(plan1), /sysctl -q -w/, 'the running value is already right');
  });
  it('a running value is compared with each run of blanks between its fields folded to one space', () => {
    const range = { name: 'net.ipv4.ip_local_port_range', value: '32768 60999' };
    assert.deepEqual(plan('sysctl', range, out(' 32768 \t 60999 \n', 'present\nnet.ipv4.ip_local_port_range = 32768 60999\n')), { changes: [], commands: [] });
  });
  it('a value holding "=" is shown whole', () => {
    const q = plan('sysctl', { name: 'kernel.core_pattern', value: 'core' }, out('core\n', 'present\nkernel.core_pattern=|/bin/x a=b\n'));
    assert.deepEqual(q.changes.map((c) => c.before), ['|/bin/x a=b']);
  });
  it('a new drop-in: a setting not there before', () => {
    const q = plan('sysctl', p, out('10\n', 'missing\n'));
    assert.deepEqual(q.changes, [{ subject: '/etc/sysctl.d/60-tend.conf: vm.swappiness', kind: 'set', before: null, after: '10' }]);
    assert.match(commandsText(q), rootFile);
  });
  it('reload: false leaves the running kernel alone', () => {
    assert.deepEqual(plan('sysctl', { ...p, reload: false }, out('60\n', 'present\nvm.swappiness = 10\n')), { changes: [], commands: [] });
    const both = plan('sysctl', p, out('60\n', 'missing\n'));
    assert.deepEqual(both.changes.map((c) => c.subject), ['/etc/sysctl.d/60-tend.conf: vm.swappiness', 'vm.swappiness (running)']);
    assert.match(both.commands[1]!.text, /^sysctl -q -w vm\.swappiness=10$/);
  });
  it('the error names the parameter and its /proc/sys path', () => {
    assert.throws(() => plan('sysctl', { name: 'net.ipv4.nosuch', value: 1 }, out('(none)\n', 'missing\n')), { message: 'net.ipv4.nosuch: no such kernel parameter on this host (/proc/sys/net/ipv4/nosuch)' });
  });
});

describe('apt_repository plan', () => {
  const key = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGExample\n-----END PGP PUBLIC KEY BLOCK-----';
  const repo = { name: 'example', uris: ['https://deb.example.org/debian'], suites: ['bookworm'], components: ['main'], key };
  const sources = 'Types: deb\nURIs: https://deb.example.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /etc/apt/keyrings/example.asc\n';
  const update = 'apt-get update -q -o DPkg::Lock::Timeout=120 >/dev/null';
  it('a new key and source: written (the key with a final newline, its directory made), then the lists refreshed', () => {
    const p = plan('apt_repository', repo, out('missing\n', 'missing\n'));
    assert.deepEqual(p.changes, [
      { subject: '/etc/apt/keyrings/example.asc', kind: 'add', reason: 'the signing key' },
      { subject: '/etc/apt/sources.list.d/example.sources', kind: 'content', before: null, after: sources },
    ]);
    assert.deepEqual(written(p), [`${key}\n`, sources]);
    assert.equal(p.commands.length, 3);
    assert.match(walked(p.commands[0]!.text), /^tend_chase \/etc\/apt\/keyrings\/example\.asc 0 1 0 \|\|/m);
    assert.match(walked(p.commands[1]!.text), /^tend_chase \/etc\/apt\/sources\.list\.d\/example\.sources 0 0 0 \|\|/m);
    for (const c of p.commands.slice(0, 2)) assert.match(c.text, rootFile);
    assert.equal(p.commands[2]!.text, update);
  });
  it('a key ending in a newline is compared as it is; a changed source or key alone is rewritten', () => {
    assert.deepEqual(plan('apt_repository', { ...repo, key: `${key}\n` }, out(`present\n${sources}`, `present\n${key}\n`)), { changes: [], commands: [] });
    const p = plan('apt_repository', repo, out('present\nTypes: deb\n', `present\n${key}\n`));
    assert.deepEqual(p.changes, [{ subject: '/etc/apt/sources.list.d/example.sources', kind: 'content', before: 'Types: deb\n', after: sources }]);
    const k = plan('apt_repository', repo, out(`present\n${sources}`, 'present\nold\n'));
    assert.deepEqual(k.changes, [{ subject: '/etc/apt/keyrings/example.asc', kind: 'set', reason: 'another key' }]);
  });
  it('update_cache: false writes without refreshing', () => {
    const p = plan('apt_repository', { ...repo, update_cache: false }, out('missing\n', 'missing\n'));
    assert.equal(p.commands.length, 2);
    assert.doesNotMatch(commandsText(p), /apt-get update/);
  });
  it('a trusted source without a key writes no key', () => {
    const p = plan('apt_repository', { name: 'local', uris: ['file:/srv/repo'], suites: ['./'], trusted: true }, out('missing\n', 'missing\n'));
    assert.deepEqual(p.changes.map((c) => c.subject), ['/etc/apt/sources.list.d/local.sources']);
  });
  it('absent: nothing when neither file is there; each file there is removed (and both rm run), then the lists refreshed', () => {
    assert.deepEqual(plan('apt_repository', { name: 'example', state: 'absent' }, out('missing\n', 'missing\n')), { changes: [], commands: [] });
    const keyOnly = plan('apt_repository', { name: 'example', state: 'absent' }, out('missing\n', `present\n${key}\n`));
    assert.deepEqual(keyOnly.changes, [{ subject: '/etc/apt/keyrings/example.asc', kind: 'remove' }]);
    assert.equal(keyOnly.commands.length, 3);
    const both = plan('apt_repository', { name: 'example', state: 'absent', update_cache: false }, out(`present\n${sources}`, `present\n${key}\n`));
    assert.deepEqual(both.changes, [
      { subject: '/etc/apt/sources.list.d/example.sources', kind: 'remove', before: sources, after: null },
      { subject: '/etc/apt/keyrings/example.asc', kind: 'remove' },
    ]);
    assert.equal(both.commands.length, 2);
    // A directory already gone is fine.
    assert.match(commandsText(both), /case \$tend_why in missing:\*\) exit 0 ;; esac;/);
  });
});
