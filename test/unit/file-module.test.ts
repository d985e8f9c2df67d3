// The file module's plan for each state, from probe sections as the host prints them, and
// the pieces it is made of: symbolic modes and times.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modules } from '../../tasks/index.ts';
import { resultingMode, symbolicModeProblem } from '../../tasks/lib/mode.ts';
import { timestampWanted } from '../../tasks/lib/timestamps.ts';
import { commandsText, out, plan, walked } from './fixtures.ts';

const T = '2026-01-01 00:00:00.000000000 +0000';

/** One standing section, as tasks/builtin/file.ts's probe prints it. */
function st(type: string | null, at: string, o: { owner?: string; group?: string; mode?: string; links?: number; inode?: number; target?: string; empty?: boolean; mtime?: string } = {}): string {
  if (type === null) return `missing\nat ${at}\n`;
  const line = `${type}|${o.owner ?? 'root'}|${o.group ?? 'root'}|${o.mode ?? '644'}|${o.links ?? 1}|${o.inode ?? 100}|0|0|4|${T}|${o.mtime ?? T}\n`;
  const extra = o.target !== undefined ? `target ${o.target}\n` : o.empty !== undefined ? (o.empty ? 'empty\n' : 'nonempty\n') : '';
  return `${line}${extra}at ${at}\n`;
}
const file = (path: string, o = {}) => st('regular file', path, o);
const dir = (path: string, o = {}) => st('directory', path, { mode: '755', empty: false, ...o });
const link = (path: string, target: string) => st('symbolic link', path, { mode: '777', target });
const none = (path: string) => st(null, path);

/** Sections: what stands at the path, followed, src, scan. */
const probe = (now: string, followed = now, src = '', scan = '') => out(now, followed, src, scan);

describe('file: which state a task without state means', () => {
  it('what the path is now; file when missing, directory with recurse', () => {
    assert.throws(() => plan('file', { path: '/x' }, probe(none('/x'))), /^Error: file \(\/x\) is absent, cannot continue$/);
    assert.deepEqual(plan('file', { path: '/x' }, probe(file('/x'))), { changes: [], commands: [] });
    assert.deepEqual(plan('file', { path: '/x' }, probe(dir('/x'))), { changes: [], commands: [] });
    assert.deepEqual(plan('file', { path: '/x' }, probe(link('/x', 't'))), { changes: [], commands: [] });
    assert.deepEqual(plan('file', { path: '/x', recurse: true }, probe(none('/x'))).changes, [{ subject: '/x', kind: 'add', before: null, after: 'directory' }]);
  });
  it('dest and name are path', () => {
    assert.equal(plan('file', { name: '/x', state: 'directory' }, probe(none('/x'))).changes[0]!.subject, '/x');
    assert.equal(plan('file', { dest: '/x', state: 'directory' }, probe(none('/x'))).changes[0]!.subject, '/x');
    assert.throws(() => plan('file', { path: '/x', dest: '/y' }, probe(none('/x'))), /give one of path, dest or name/);
  });
  it('src without state link or hard, recurse without state directory: Ansible’s sentences', () => {
    assert.throws(() => plan('file', { path: '/x', src: '/y' }, probe(file('/x'))), /src option requires state to be 'link' or 'hard'/);
    assert.throws(() => plan('file', { path: '/x', state: 'file', recurse: true }, probe(file('/x'))), /recurse option requires state to be 'directory'/);
    assert.throws(() => plan('file', { path: '/x', recurse: true }, probe(file('/x'))), /recurse option requires state to be 'directory'/);
  });
  it('keys tend refuses are named, with why', () => {
    assert.throws(() => plan('file', { path: '/x', attributes: '+i' }, probe(file('/x'))), /attributes is not supported: tend does not set file attributes/);
    assert.throws(() => plan('file', { path: '/x', setype: 'etc_t' }, probe(file('/x'))), /setype is not supported: tend does not manage SELinux/);
    assert.throws(() => plan('file', { path: '/x', unsafe_writes: true }, probe(file('/x'))), /unsafe_writes is not supported/);
    assert.deepEqual(plan('file', { path: '/x', unsafe_writes: false }, probe(file('/x'))), { changes: [], commands: [] });
    assert.throws(() => plan('file', { path: '/x', mode: '+x' }, probe(file('/x'))), /names no one: Ansible applies the remote umask/);
  });
});

describe('file: state file', () => {
  it('owner, group and mode through a hard link in the staging directory', () => {
    const p = plan('file', { path: '/x', owner: 'ann', mode: 'u=rw,go=' }, probe(file('/x')));
    assert.deepEqual(p.changes.map((c) => [c.subject, c.before, c.after]), [['/x owner', 'root', 'ann'], ['/x mode', '0644', '0600']]);
    assert.match(walked(commandsText(p)), /^ln -P -- "\.\.\/\$tend_name" it &&$/m);
    assert.match(commandsText(p), /^chown -h -- ann it &&\nchmod -- 0600 it\n\)$/m);
  });
  it('a link is followed by default (its target is what changes, shown by its resolved path); follow: false fails on it', () => {
    const p = plan('file', { path: '/x', state: 'file', mode: '0600' }, probe(link('/x', 't'), file('/t')));
    assert.deepEqual(p.changes, [{ subject: '/t mode', kind: 'set', before: '0644', after: '0600' }]);
    assert.match(walked(commandsText(p)), /^tend_chase \/x 1 0 0 \|\|/m);
    assert.throws(() => plan('file', { path: '/x', state: 'file', follow: false }, probe(link('/x', 't'))), /^Error: file \(\/x\) is link, cannot continue$/);
  });
  it('the followed view must be safe where it is used', () => {
    assert.throws(() => plan('file', { path: '/x', state: 'file' }, probe(link('/x', 't'), 'unsafe unsafe path: /etc is owned by root')), /unsafe path/);
  });
  it('a modification time: touch -d, only when it differs', () => {
    const p = plan('file', { path: '/x', modification_time: '202101020304.05' }, probe(file('/x')));
    assert.deepEqual(p.changes, [{ subject: '/x modification time', kind: 'set', before: '2026-01-01 00:00:00 +0000', after: '2021-01-02 03:04:05' }]);
    assert.match(commandsText(p), /^touch -c -h -m -d '2021-01-02 03:04:05' -- "\$tend_name"$/m);
    const same = plan('file', { path: '/x', modification_time: '202101020304.05' }, probe(file('/x', { mtime: '2021-01-02 03:04:05.000000000 +0000' })));
    assert.deepEqual(same, { changes: [], commands: [] });
  });
});

describe('file: state directory', () => {
  it('missing: made by the walk with its parents, each made one given owner, group and mode', () => {
    const p = plan('file', { path: '/srv/a b', state: 'directory', owner: 'root', group: 'sasl', mode: '0710' }, probe(none('/srv/a b')));
    assert.deepEqual(p.changes, [{ subject: '/srv/a b', kind: 'add', before: null, after: 'directory' }]);
    const script = walked(commandsText(p));
    assert.match(script, /^tend_chase '\/srv\/a b' 1 1 1 \|\|/m);
    assert.match(script, /while \[ "\$tend_i" -lt "\$tend_made" \] \|\| \[ "\$tend_i" = 0 \]; do chown -h -- root:sasl "\$tend_d" && chmod -- 0710 "\$tend_d" \|\| exit 1;/);
  });
  it('existing: only what differs, from inside it', () => {
    assert.deepEqual(plan('file', { path: '/d', state: 'directory', mode: '0755' }, probe(dir('/d'))), { changes: [], commands: [] });
    const p = plan('file', { path: '/d', state: 'directory', group: 'sasl', mode: '0750' }, probe(dir('/d')));
    assert.deepEqual(p.changes.map((c) => c.subject), ['/d group', '/d mode']);
    assert.match(walked(commandsText(p)), /^tend_chase \/d 1 0 1 \|\| .*\nchgrp -h -- sasl \. &&\nchmod -- 0750 \.\n\)$/m);
  });
  it('a file there: Ansible’s sentence', () => {
    assert.throws(() => plan('file', { path: '/d', state: 'directory' }, probe(file('/d'))), /^Error: \/d already exists as a file$/);
  });
  it('recurse: owner and group of what differs inside (chown -R never follows links); octal modes by find', () => {
    const scan = '      3 f 644 root root\n      1 d 755 root sasl\n      2 l 777 ann ann\n';
    const p = plan('file', { path: '/d', state: 'directory', recurse: true, group: 'sasl', mode: '0750' }, probe(dir('/d', { group: 'sasl', mode: '750' }), undefined, '', scan));
    assert.deepEqual(p.changes.map((c) => [c.subject, c.before]), [['/d/* ownership', '5 differ'], ['/d/* mode', '4 differ']]);
    const script = commandsText(p);
    assert.match(script, /^chgrp -h -R -- sasl \. &&$/m);
    assert.match(script, /^find \. -mindepth 1 -type f -perm 0644 -exec chmod -- 0750 \{\} \+ &&$/m);
    assert.match(script, /^find \. -mindepth 1 -type d -perm 0755 -exec chmod -- 0750 \{\} \+$/m);
    assert.doesNotMatch(script, /-type l/);
  });
  it('recurse: a symbolic mode is computed for each kind and mode found (X for directories and executables)', () => {
    const scan = '      2 f 600 root root\n      1 f 700 root root\n      1 d 700 root root\n      4 f 640 root root\n';
    const p = plan('file', { path: '/d', state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=' }, probe(dir('/d', { mode: '750' }), undefined, '', scan));
    assert.deepEqual(p.changes.map((c) => [c.subject, c.before]), [['/d/* mode', '4 differ']]);
    const script = commandsText(p);
    assert.match(script, /-type f -perm 0600 -exec chmod -- 0640/);
    assert.match(script, /-type f -perm 0700 -exec chmod -- 0750/);
    assert.match(script, /-type d -perm 0700 -exec chmod -- 0750/);
  });
});

describe('file: state link', () => {
  it('missing: made beside the path under a random name, renamed over it', () => {
    const p = plan('file', { src: '/srv/t', dest: '/x', state: 'link' }, probe(none('/x'), none('/x'), 'exists\n'));
    assert.deepEqual(p.changes, [{ subject: '/x', kind: 'set', before: null, after: 'symlink to /srv/t' }]);
    assert.match(walked(commandsText(p)), /^ln -s -- \/srv\/t (\.tend\.[0-9a-f]{24}) && \{ mv -Tf -- \1 "\$tend_name"/m);
  });
  it('a src that does not exist needs force; a file or directory standing there needs force; a full directory never', () => {
    assert.throws(() => plan('file', { src: 't', dest: '/d/x', state: 'link' }, probe(none('/d/x'), none('/d/x'), 'missing\n')), /src file does not exist, use "force=yes" if you really want to create the link: \/d\/t/);
    assert.equal(plan('file', { src: 't', dest: '/d/x', state: 'link', force: true }, probe(none('/d/x'), none('/d/x'), 'missing\n')).changes.length, 1);
    assert.throws(() => plan('file', { src: '/t', dest: '/x', state: 'link' }, probe(file('/x'), file('/x'), 'exists\n')), /refusing to convert from file to symlink for \/x/);
    assert.throws(() => plan('file', { src: '/t', dest: '/x', state: 'link' }, probe(dir('/x'), dir('/x'), 'exists\n')), /refusing to convert from directory to symlink for \/x/);
    assert.throws(() => plan('file', { src: '/t', dest: '/x', state: 'link', force: true }, probe(dir('/x'), dir('/x'), 'exists\n')), /the directory \/x is not empty, refusing to convert it/);
    const p = plan('file', { src: '/t', dest: '/x', state: 'link', force: true }, probe(dir('/x', { empty: true }), dir('/x'), 'exists\n'));
    assert.deepEqual(p.changes.map((c) => [c.before, c.after]), [['directory', 'symlink to /t']]);
    assert.match(commandsText(p), /^rmdir -- "\$tend_name" &&\nln -s -- \/t /m);
  });
  it('in sync: nothing; elsewhere: swapped; no src: the link there is kept', () => {
    assert.deepEqual(plan('file', { src: '/t', dest: '/x', state: 'link' }, probe(link('/x', '/t'), file('/t'), 'exists\n')), { changes: [], commands: [] });
    assert.deepEqual(plan('file', { src: '/t', dest: '/x', state: 'link' }, probe(link('/x', '/u'), file('/u'), 'exists\n')).changes.map((c) => [c.before, c.after]), [['symlink to /u', 'symlink to /t']]);
    assert.deepEqual(plan('file', { dest: '/x', state: 'link' }, probe(link('/x', '/u'), file('/u'))), { changes: [], commands: [] });
    assert.throws(() => plan('file', { dest: '/x', state: 'link' }, probe(none('/x'))), /src is required for creating new symlinks/);
  });
  it('owner and group are the link’s own (chown -h); a mode is refused', () => {
    const p = plan('file', { src: '/t', dest: '/x', state: 'link', owner: 'ann' }, probe(link('/x', '/t'), file('/t'), 'exists\n'));
    assert.deepEqual(p.changes, [{ subject: '/x owner', kind: 'set', before: 'root', after: 'ann' }]);
    assert.match(commandsText(p), /^chown -h -- ann "\$tend_name"$/m);
    assert.throws(() => plan('file', { src: '/t', dest: '/x', state: 'link', mode: '0644' }, probe(none('/x'), none('/x'), 'exists\n')), /a symbolic link has no mode/);
  });
});

describe('file: state hard', () => {
  it('missing: linked from the source the safe walk finds; same inode: nothing; another file: force', () => {
    const p = plan('file', { src: '/t', dest: '/x', state: 'hard' }, probe(none('/x'), none('/x'), '100\n'));
    assert.deepEqual(p.changes.map((c) => c.after), ['hard link to /t']);
    assert.match(walked(commandsText(p)), /tend_src=\$\(\n/);
    assert.match(commandsText(p), /ln -P -- "\$tend_src" \.tend\.[0-9a-f]{24} && \{ mv -Tf/);
    assert.deepEqual(plan('file', { src: '/t', dest: '/x', state: 'hard' }, probe(file('/x', { links: 2, inode: 100 }), undefined, '100\n')), { changes: [], commands: [] });
    assert.throws(() => plan('file', { src: '/t', dest: '/x', state: 'hard' }, probe(file('/x', { inode: 7 }), undefined, '100\n')), /Cannot link, file exists at destination/);
    assert.throws(() => plan('file', { src: '/t', dest: '/x', state: 'hard' }, probe(file('/x', { inode: 7, links: 2 }), undefined, '100\n')), /Cannot link, different hard link exists at destination/);
    assert.equal(plan('file', { src: '/t', dest: '/x', state: 'hard', force: true }, probe(file('/x', { inode: 7 }), undefined, '100\n')).changes.length, 1);
    assert.throws(() => plan('file', { src: '/t', dest: '/x', state: 'hard' }, probe(none('/x'), none('/x'), 'missing\n')), /src does not exist/);
  });
});

describe('file: state touch and absent', () => {
  it('touch: a missing file is made empty (its mode before its first byte); an existing one always gets new times', () => {
    const p = plan('file', { path: '/x', state: 'touch', mode: '0640' }, probe(none('/x')));
    assert.deepEqual(p.changes, [{ subject: '/x', kind: 'add', before: null, after: 'empty file' }]);
    assert.match(commandsText(p), /^chmod -- 0640 new &&$/m);
    const again = plan('file', { path: '/x', state: 'touch' }, probe(file('/x')));
    assert.equal(again.changes[0]!.subject, '/x times');
    assert.match(commandsText(again), /^touch -c -h -- "\$tend_name"$/m);
    assert.deepEqual(plan('file', { path: '/x', state: 'touch', access_time: 'preserve', modification_time: 'preserve' }, probe(file('/x'))), { changes: [], commands: [] });
  });
  it('absent: a directory with all it holds, a link itself, nothing when nothing is there', () => {
    assert.match(commandsText(plan('file', { path: '/d', state: 'absent' }, probe(dir('/d')))), /^rm -rf -- "\$tend_name"$/m);
    const l = plan('file', { path: '/x', state: 'absent' }, probe(link('/x', '/etc/passwd')));
    assert.deepEqual(l.changes, [{ subject: '/x', kind: 'remove', before: 'symlink to /etc/passwd', after: null }]);
    assert.match(walked(commandsText(l)), /^tend_chase \/x 0 0 0 \|\| .*\nrm -f -- "\$tend_name"\n\)$/m);
    assert.deepEqual(plan('file', { path: '/x', state: 'absent' }, probe(none('/x'))), { changes: [], commands: [] });
  });
});

describe('file: returns', () => {
  it('Ansible’s keys: path (dest for links), state, mode, owner, group, uid, gid, size', () => {
    const f = modules.get('file')!;
    const params = f.params.parse({ path: '/x', mode: '0600' });
    const probed = probe(file('/x'));
    assert.deepEqual(f.returns!(params, probed, f.plan(params, probed), { check: false }), { path: '/x', state: 'file', owner: 'root', group: 'root', mode: '0600', uid: 0, gid: 0, size: 4 });
    const lp = f.params.parse({ src: '/t', dest: '/l', state: 'link' });
    const lprobed = probe(none('/l'), none('/l'), 'exists\n');
    assert.deepEqual(f.returns!(lp, lprobed, f.plan(lp, lprobed), { check: false }), { dest: '/l', src: '/t', state: 'link' });
  });
});

describe('symbolic modes', () => {
  it('as Ansible computes them: each clause reads the mode the path had', () => {
    assert.equal(resultingMode('u+x,g-w,o=r', '0664', false), '0744');
    assert.equal(resultingMode('a+X', '0640', false), '0640');
    assert.equal(resultingMode('a+X', '0740', false), '0751');
    assert.equal(resultingMode('a+X', '0640', true), '0751');
    assert.equal(resultingMode('g=u,o=g', '0700', false), '0770');
    assert.equal(resultingMode('u=rwx,g=rx,o=', '0750', false), '0750');
    assert.equal(resultingMode('u+s,g+s,o+t', '0755', true), '7755');
    assert.equal(resultingMode('u=rw', '4755', false), '0655');
    assert.equal(resultingMode('0640', '0777', false), '0640');
  });
  it('what is refused, and why', () => {
    assert.match(symbolicModeProblem('+x')!, /names no one/);
    assert.match(symbolicModeProblem('u+q')!, /not a symbolic mode clause/);
    assert.equal(symbolicModeProblem('u=rwX,go=rX'), null);
  });
});

describe('times', () => {
  it('strptime formats read into a local time the host reads', () => {
    assert.equal(timestampWanted('202101020304.05', '%Y%m%d%H%M.%S', 'modification_time'), '2021-01-02 03:04:05');
    assert.equal(timestampWanted('02/01/21 03:04', '%d/%m/%y %H:%M', 'access_time'), '2021-01-02 03:04:00');
    assert.equal(timestampWanted('now', '%Y', 'access_time'), 'now');
    assert.throws(() => timestampWanted('Jan 2021', '%b %Y', 'access_time'), /access_time_format: %b is not read by tend/);
    assert.throws(() => timestampWanted('2021', '%Y%m', 'access_time'), /does not match the format/);
    assert.throws(() => timestampWanted('202113010000.00', '%Y%m%d%H%M.%S', 'access_time'), /is not a time/);
  });
});
