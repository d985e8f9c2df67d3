// The plans of copy (file's content, as it was), template and command, case by case: what each
// must do for each state the probe can report (issue #18: tests that a mutated plan
// fails). Ansible's modules are the spec: a file is written only when its content or
// metadata differ, state absent removes what stands at the path (a link itself, never
// what it points to), a special file is refused, and so on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProbeFailed, probedFrom, type Plan } from '../../src/module.ts';
import { commandsText, out, plan, walked } from './fixtures.ts';

const stat = (line: string, content = '') => out('plain\n', `${line}\n`, content);
/** The bytes an atomic write puts in the file (carried as base64 in the script). */
const written = (p: Plan) => {
  const m = /printf '%s' '?([A-Za-z0-9+/=]*)'? \| base64 -d > new/.exec(commandsText(p));
  assert.ok(m, `no content written in:\n${commandsText(p)}`);
  return Buffer.from(m[1]!, 'base64').toString('utf8');
};
const hash = (c: string) => c.repeat(64).slice(0, 64);

describe('copy plan: the probe', () => {
  it('a failed probe is a ProbeFailed with its message, or its exit status when it said nothing', () => {
    assert.throws(() => plan('copy', { dest: '/etc/x', content: 'a' }, probedFrom(['', '', ''], 2, '  tend: cannot read /etc  \n')), (e: Error) => e instanceof ProbeFailed && e.message === 'tend: cannot read /etc');
    assert.throws(() => plan('copy', { dest: '/etc/x', content: 'a' }, probedFrom(['', '', ''], 5, ' \n')), (e: Error) => e instanceof ProbeFailed && e.message === 'probe exited 5');
  });
  it('what the safe walk refused (in either section) is refused with its reason', () => {
    assert.throws(() => plan('copy', { dest: '/etc/x', content: 'a' }, out('unsafe /etc is writable by alice\nmore\n', 'missing\n', '')), { message: '/etc is writable by alice' });
    assert.throws(() => plan('copy', { dest: '/etc/x', content: 'a', follow: true }, out('link /home/alice/x\n', 'unsafe /home/alice is owned by alice\n', '')), {
      message: '/home/alice is owned by alice',
    });
  });
});

describe('copy plan: what stands at the path', () => {
  it('anything but a regular file is refused by its type, named by the resolved path with follow', () => {
    assert.throws(() => plan('copy', { dest: '/etc/x', content: 'a' }, stat('fifo|root|root|644')), { message: '/etc/x is a fifo, not a regular file' });
    assert.throws(() => plan('copy', { dest: '/etc/x', content: 'a', follow: true }, out('link /etc/real\n', 'socket|root|root|755\n', '')), { message: '/etc/real is a socket, not a regular file' });
    assert.throws(() => plan('copy', { dest: '/etc/x', content: 'a', follow: true }, out('link /etc/d\n', ' directory \n', '')), { message: '/etc/d is a directory, not a file' });
  });
  it('an empty regular file is a file: its content is compared', () => {
    assert.deepEqual(plan('copy', { dest: '/etc/x', content: '' }, stat('regular empty file|root|root|644', '')), { changes: [], commands: [] });
    const p = plan('copy', { dest: '/etc/x', content: 'a\n' }, stat('regular empty file|root|root|644', ''));
    assert.deepEqual(p.changes, [{ subject: '/etc/x', kind: 'content', before: '', after: 'a\n', secret: false }]);
  });
  it('follow: the target is shown and written by its resolved path, the walk follows the link', () => {
    const linked = out('link /etc/real\n', 'regular file|root|root|600\n', 'same\n');
    const p = plan('copy', { dest: '/etc/x', content: 'same\n', mode: '0644', follow: true }, linked);
    assert.deepEqual(p.changes, [{ subject: '/etc/real mode', kind: 'set', before: '0600', after: '0644' }]);
    assert.match(walked(commandsText(p)), /^tend_chase \/etc\/x 1 0 0 \|\|/m);
    // validate's %s names the file the link led to.
    const v = plan('copy', { dest: '/etc/x', content: 'new\n', follow: true, validate: 'check %s' }, out('link /srv/real\n', 'regular file|root|root|600\n', 'same\n'));
    assert.match(commandsText(v), /\( check \/srv\/\.tend\.[0-9a-f]{24}\/new \)/);
    // A plain file with follow: its own path, walked with follow.
    const plain = plan('copy', { dest: '/etc/x', content: 'new\n', follow: true, validate: 'check %s' }, stat('regular file|root|root|644', 'old\n'));
    assert.equal(plain.changes[0]!.subject, '/etc/x');
    assert.match(walked(commandsText(plain)), /^tend_chase \/etc\/x 1 0 0 \|\|/m);
  });
});

describe('copy plan: content', () => {
  it('a missing file is created with the content, owner, group and mode, as a new file', () => {
    const p = plan('copy', { dest: '/etc/x', content: 'a\n', owner: 'root', group: 'sasl', mode: '0640' }, stat('missing'));
    assert.deepEqual(p.changes, [{ subject: '/etc/x', kind: 'content', before: null, after: 'a\n', secret: false, reason: 'new file' }]);
    assert.equal(p.commands.length, 1);
    assert.equal(written(p), 'a\n');
    assert.match(commandsText(p), /^chown -h -- root:sasl new &&\nchmod -- 0640 new &&$/m);
    assert.doesNotMatch(commandsText(p), /--reference/, 'a new file copies no old metadata');
  });
  it('different content with other metadata: one write, the metadata changes listed beside the content', () => {
    const p = plan('copy', { dest: '/etc/x', content: 'new\n', owner: 'postfix', group: 'postfix', mode: '0600', backup: true }, stat('regular file|root|root|644', 'old\n'));
    assert.deepEqual(p.changes.filter((c) => !c.subject.endsWith(' backup')), [
      { subject: '/etc/x', kind: 'content', before: 'old\n', after: 'new\n', secret: false },
      { subject: '/etc/x owner', kind: 'set', before: 'root', after: 'postfix' },
      { subject: '/etc/x group', kind: 'set', before: 'root', after: 'postfix' },
      { subject: '/etc/x mode', kind: 'set', before: '0644', after: '0600' },
    ]);
    assert.equal(p.commands.length, 1);
    assert.equal(written(p), 'new\n');
    // The old file is kept (backup), under the name the task gave.
    assert.match(commandsText(p), /^ln -P -- "\.\.\/\$tend_name" '\.\.\/x\.\d{8}-\d{6}~' &&$/m);
    assert.match(walked(commandsText(p)), /^tend_chase \/etc\/x 0 0 0 \|\|/m);
  });
  it('validate is run on the staged file; without backup no copy is kept', () => {
    const p = plan('copy', { dest: '/etc/x', content: 'new\n', validate: 'visudo -cf %s' }, stat('regular file|root|root|644', 'old\n'));
    assert.match(commandsText(p), /^\( visudo -cf \/etc\/\.tend\.[0-9a-f]{24}\/new \) \|\| \{ echo 'validate failed: visudo -cf %s' >&2; exit 1; \} &&$/m);
    assert.doesNotMatch(commandsText(p), /\$tend_name\.\$\(date/);
  });
  it('a secret file: new ones are 0600 from the first byte, the change is secret', () => {
    const p = plan('copy', { dest: '/etc/x', content: 'pw\n', secret: true }, stat('missing'));
    assert.equal(p.changes[0]!.secret, true);
    assert.match(commandsText(p), /^chmod 0600 new &&$/m);
  });
});

describe('copy plan: src (compared by SHA-256, streamed)', () => {
  const src = (over: object = {}) => ({ dest: '/etc/x', src: '/ctl/files/x.bin', src_sha256: hash('a'), src_size: 10, ...over });
  it('a src that was not a file when the playbook was read is refused', () => {
    assert.throws(() => plan('copy', { dest: '/etc/x', src: '{{ f }}' }, stat('missing')), { message: 'src {{ f }}: must name a file when the playbook is read (no templates)' });
  });
  it('missing: uploaded as a new file', () => {
    const p = plan('copy', src({ mode: '0600' }), stat('missing'));
    assert.deepEqual(p.changes, [{ subject: '/etc/x', kind: 'set', before: null, after: `sha256 ${'a'.repeat(12)}… (10 bytes from /ctl/files/x.bin)`, reason: 'new file' }]);
    assert.deepEqual(p.commands, []);
    assert.equal(p.upload!.file, '/ctl/files/x.bin');
    assert.match(p.upload!.script.text, /^cat > new &&$/m);
    assert.match(p.upload!.script.text, /^chmod -- 0600 new &&$/m);
    assert.doesNotMatch(p.upload!.script.text, /--reference/);
  });
  it('another hash: replaced, keeping the old metadata, with the metadata changes beside it', () => {
    const p = plan('copy', src({ owner: 'postfix', backup: true, validate: 'check %s' }), stat('regular file|root|root|644', `${hash('b')}  x\n`));
    assert.deepEqual(p.changes.filter((c) => !c.subject.endsWith(' backup')), [
      { subject: '/etc/x', kind: 'set', before: `sha256 ${'b'.repeat(12)}…`, after: `sha256 ${'a'.repeat(12)}… (10 bytes from /ctl/files/x.bin)`, reason: 'content differs' },
      { subject: '/etc/x owner', kind: 'set', before: 'root', after: 'postfix' },
    ]);
    const script = p.upload!.script.text;
    assert.match(script, /^chmod --reference="\.\.\/\$tend_name" new &&$/m);
    assert.match(script, /^\( check \/etc\/\.tend\.[0-9a-f]{24}\/new \)/m);
    assert.match(script, /'\.\.\/x\.\d{8}-\d{6}~'/);
  });
  it('an unreadable file (no hash printed) is replaced', () => {
    const p = plan('copy', src(), stat('regular file|root|root|600', ''));
    assert.equal(p.changes[0]!.before, null);
    assert.equal(p.changes[0]!.reason, 'content differs');
  });
  it('the same hash: only metadata, never an upload', () => {
    assert.deepEqual(plan('copy', src(), stat('regular file|root|root|644', `${hash('a')}  x\n`)), { changes: [], commands: [] });
    const p = plan('copy', src({ mode: '0600' }), stat('regular file|root|root|644', `${hash('a')}  /etc/x\n`));
    assert.deepEqual(p.changes, [{ subject: '/etc/x mode', kind: 'set', before: '0644', after: '0600' }]);
    assert.equal(p.upload, undefined);
    assert.match(commandsText(p), /^chmod -- 0600 it$/m);
  });
});

describe('template plan (written as file writes content)', () => {
  const t = (over: object = {}) => ({ src: 'main.cf.j2', dest: '/etc/postfix/main.cf', content: 'rendered\n', ...over });
  it('a template not rendered for the host is refused, naming src', () => {
    assert.throws(() => plan('template', t({ content: { reads: '', renderForHost: () => '' } }), stat('missing')), { message: 'template main.cf.j2: not rendered for this host' });
  });
  it('dest is written with the rendered text, backup, validate, owner, group and mode', () => {
    const p = plan('template', t({ backup: true, validate: 'postconf -c %s', owner: 'root', group: 'postfix', mode: '0640' }), stat('regular file|root|root|644', 'old\n'));
    assert.deepEqual(p.changes, [
      { subject: '/etc/postfix/main.cf', kind: 'content', before: 'old\n', after: 'rendered\n', secret: false },
      { subject: '/etc/postfix/main.cf group', kind: 'set', before: 'root', after: 'postfix' },
      { subject: '/etc/postfix/main.cf mode', kind: 'set', before: '0644', after: '0640' },
    ]);
    assert.equal(written(p), 'rendered\n');
    assert.match(walked(commandsText(p)), /^tend_chase \/etc\/postfix\/main\.cf 0 0 0 \|\|/m);
    assert.match(commandsText(p), /^\( postconf -c \/etc\/postfix\/\.tend\.[0-9a-f]{24}\/new \)/m);
    assert.match(commandsText(p), /\$\(date \+%Y%m%d-%H%M%S\)~/);
    // A new file: 0644 unless a mode is given (never secret's 0600).
    assert.match(commandsText(plan('template', t(), stat('missing'))), /^chmod 0644 new &&$/m);
  });
  it('a link at dest is refused unless follow, which writes the file it points to', () => {
    const linked = out('link /etc/postfix/real.cf\n', 'regular file|root|root|644\n', 'old\n');
    assert.throws(() => plan('template', t(), linked), /is a symbolic link/);
    const p = plan('template', t({ follow: true }), linked);
    assert.equal(p.changes[0]!.subject, '/etc/postfix/real.cf');
    assert.match(walked(commandsText(p)), /^tend_chase \/etc\/postfix\/main\.cf 1 0 0 \|\|/m);
  });
  it('force: false writes a missing file, and leaves an existing one’s content (its metadata still applies)', () => {
    const fresh = plan('template', t({ force: false }), stat('missing'));
    assert.equal(written(fresh), 'rendered\n');
    assert.deepEqual(plan('template', t({ force: false }), stat('regular file|root|root|644', 'mine\n')), { changes: [], commands: [] });
    const mode = plan('template', t({ force: false, mode: '0600' }), stat('regular file|root|root|644', 'mine\n'));
    assert.deepEqual(mode.changes, [{ subject: '/etc/postfix/main.cf mode', kind: 'set', before: '0644', after: '0600' }]);
    // A stat line with trailing blanks still says missing.
    assert.equal(written(plan('template', t({ force: false }), out('plain\n', 'missing \n', ''))), 'rendered\n');
    // A failed probe is still the probe's failure, not an empty file.
    assert.throws(() => plan('template', t({ force: false }), probedFrom(['', 'missing\n', ''], 1, 'tend: unsafe')), ProbeFailed);
  });
});

describe('command plan', () => {
  it('creates, removes, unless: the probe’s word for "already done" means nothing to run', () => {
    // The probe says what exists: a path creates names, one removes names (its absence means done), unless succeeding.
    for (const fact of ['creates-exists\nremoves-exists', '', 'removes-exists\nunless-ok']) {
      assert.deepEqual(plan('command', { cmd: 'x', creates: '/a', removes: '/b', unless: 'true' }, out(`${fact}\n`)), { changes: [], commands: [] });
    }
  });
  it('otherwise it runs, saying why: the first condition given', () => {
    const why = (p: object) => plan('command', { cmd: 'newaliases', ...p }, out('removes-exists\n')).changes;
    assert.deepEqual(why({ creates: '/etc/aliases.db', removes: '/x' }), [{ subject: 'newaliases', kind: 'run', reason: '/etc/aliases.db does not exist' }]);
    assert.deepEqual(why({ removes: '/etc/aliases', unless: 'true' }), [{ subject: 'newaliases', kind: 'run', reason: '/etc/aliases exists' }]);
    assert.deepEqual(why({ unless: 'test -e /x' }), [{ subject: 'newaliases', kind: 'run', reason: '`unless` failed' }]);
    assert.deepEqual(why({}), [{ subject: 'newaliases', kind: 'run', reason: 'no condition: runs every time' }]);
  });
  it('chdir: run from that directory, and only if cd succeeded', () => {
    assert.equal(commandsText(plan('command', { cmd: 'make install', chdir: '/usr/src/my app' }, out(''))), "cd -- '/usr/src/my app' && make install");
    assert.equal(commandsText(plan('command', { cmd: 'make' }, out(''))), 'make');
  });
});
