import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProbeFailed } from '../../src/module.ts';
import { applyLines } from '../../tasks/builtin/file.ts';
import { atomicWriteScript, stagedReplaceScript } from '../../tasks/lib/atomic.ts';
import { ShellText } from '../../src/shell.ts';
import { commandsText, fixture, out, plan, walked, withSection } from './fixtures.ts';

const stat = (line: string, content = '') => out('plain\n', `${line}\n`, content);
/** The walk into a directory, as the script says it (the path already shell-quoted). */
const enter = (quoted: string, create = false) => `tend_chase ${quoted} 1 ${create ? 1 : 0} 1 || { printf 'tend: %s\\n' "\${tend_why#missing: }" >&2; exit 1; }`;

describe('file plan', () => {
  it('lines: the real /etc/default/saslauthd gets START=yes appended, nothing else touched', () => {
    const f = fixture('file', 'installed');
    const p = plan('file', f.params, f.probed);
    assert.equal(p.changes.length, 1);
    const c = p.changes[0]!;
    assert.equal(c.kind, 'content');
    assert.equal(c.after, `${c.before}START=yes\n`);
  });
  it('lines: converged file is left alone', () => {
    const f = fixture('file', 'converged');
    assert.deepEqual(plan('file', f.params, f.probed), { changes: [], commands: [] });
  });
  it('content: same content and mode → nothing; other mode → chmod only', () => {
    const ok = plan('file', { path: '/etc/x', content: 'a\n', mode: '0644' }, stat('regular file|root|root|644', 'a\n'));
    assert.deepEqual(ok, { changes: [], commands: [] });
    const mode = plan('file', { path: '/etc/x', content: 'a\n', mode: '0600' }, stat('regular file|root|root|644', 'a\n'));
    assert.deepEqual(mode.changes, [{ subject: '/etc/x mode', kind: 'set', before: '0644', after: '0600' }]);
    // Through a hard link in the private staging directory, never by the path.
    const script = walked(commandsText(mode));
    assert.match(script, /^tend_chase \/etc\/x 0 0 0 \|\|/m);
    assert.match(script, /^ln -P -- "\.\.\/\$tend_name" it &&$/m);
    assert.match(script, /^chmod -- 0600 it\n\)$/m);
    assert.doesNotMatch(script, /chmod -- 0600 \/etc\/x/);
  });
  it('content differs: one atomic write, shown as a diff; secret content is never in the change', () => {
    const p = plan('file', { path: '/etc/x', content: 'new\n' }, stat('regular file|root|root|644', 'old\n'));
    assert.deepEqual(p.changes.map((c) => [c.kind, c.before, c.after]), [['content', 'old\n', 'new\n']]);
    const script = walked(commandsText(p));
    assert.match(script, /^tend_chase \/etc\/x 0 0 0 \|\|/m);
    assert.match(script, /^mkdir -m 0700 -- \.tend\.[0-9a-f]{24} &&$/m);
    assert.match(script, /mv -fT -- new "\.\.\/\$tend_name"\n\)$/);
    const secret = plan('file', { path: '/etc/x', content: 'pw=hunter2\n', secret: true }, stat('regular file|root|root|600', 'pw=old\n'));
    assert.equal(secret.changes[0]!.secret, true);
    // A new secret file is 0600 before its first byte; other new files 0644.
    const fresh = (secret: boolean) => walked(commandsText(plan('file', { path: '/etc/x', content: 'pw\n', secret }, stat('missing'))));
    assert.match(fresh(true), /^chmod 0600 new &&\nprintf/m);
    assert.match(fresh(false), /^chmod 0644 new &&\nprintf/m);
  });
  it('a directory or a missing file with create: false are refused', () => {
    assert.throws(() => plan('file', { path: '/etc/x', content: 'a' }, stat('directory')), /is a directory/);
    assert.throws(() => plan('file', { path: '/etc/x', lines: [{ regexp: 'a', line: 'a' }], create: false }, stat('missing')), ProbeFailed);
  });
  it('a symlink at path is refused unless follow: true, which acts on the resolved file only', () => {
    const linked = out('link /etc/real\n', 'regular file|root|root|644\n', 'old\n');
    assert.throws(() => plan('file', { path: '/etc/x', content: 'new\n' }, linked), /\/etc\/x is a symbolic link \(to \/etc\/real\); set follow: true/);
    const p = plan('file', { path: '/etc/x', content: 'new\n', follow: true }, linked);
    assert.equal(p.changes[0]!.subject, '/etc/real');
    // The walk is told to follow the link (by the same safety rule), then works relative to where it led.
    assert.match(walked(commandsText(p)), /^tend_chase \/etc\/x 1 0 0 \|\|/m);
    assert.match(commandsText(p), /mv -fT -- new "\.\.\/\$tend_name"\n/);
    // state: absent removes the link itself.
    assert.equal(walked(commandsText(plan('file', { path: '/etc/x', state: 'absent' }, linked))), `(\ntend_chase /etc/x 0 0 0 || { printf 'tend: %s\\n' "\${tend_why#missing: }" >&2; exit 1; }\nrm -f -- "$tend_name"\n)`);
  });
  it('validate needs %s; one of content, template or lines', () => {
    assert.throws(() => plan('file', { path: '/etc/x', content: 'a', validate: 'true' }, stat('missing')), { name: 'ZodError', message: /validate must contain %s/ });
    assert.throws(() => plan('file', { path: '/etc/x', content: 'a', lines: [{ regexp: 'a', line: 'a' }] }, stat('missing')), {
      name: 'ZodError',
      message: /give one of content, template, lines or src/,
    });
  });
});

describe('applyLines', () => {
  it('replaces the last matching line, appends when none matches, keeps the rest', () => {
    assert.equal(applyLines('a=1\n#START=no\nb=2\n', [{ regexp: '^#? *START=', line: 'START=yes' }]), 'a=1\nSTART=yes\nb=2\n');
    assert.equal(applyLines('a=1\n', [{ regexp: '^START=', line: 'START=yes' }]), 'a=1\nSTART=yes\n');
    assert.equal(applyLines('', [{ regexp: '^START=', line: 'START=yes' }]), 'START=yes\n');
  });
  it('is idempotent, and returns an unaltered text byte for byte', () => {
    const rules = [{ regexp: '^OPTIONS=', line: 'OPTIONS="-c"' }];
    const once = applyLines('x\nOPTIONS="-m"', rules);
    assert.equal(applyLines(once, rules), once);
    assert.equal(applyLines('no newline at end', [{ regexp: '^no', line: 'no newline at end' }]), 'no newline at end');
  });
  it('a line its regexp does not match is appended once, never again on the next run', () => {
    // The regexp finds the commented default; the line that replaces it no longer matches.
    const rules = [{ regexp: '^#START=', line: 'START=yes' }, { regexp: '^MISSING=', line: 'added=1' }];
    const once = applyLines('a=1\n#START=no\n', rules);
    assert.equal(once, 'a=1\nSTART=yes\nadded=1\n');
    assert.equal(applyLines(once, rules), once);
    assert.equal(applyLines(applyLines(once, rules), rules), once);
    // And the plan of a host already holding the result changes nothing.
    assert.deepEqual(plan('file', { path: '/etc/x', lines: rules }, stat('regular file|root|root|644', once)), { changes: [], commands: [] });
  });
});

describe('atomic write (run in a real shell on a temp dir)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-atomic-'));
  const target = join(dir, 'main.cf');
  const run = (script: string) => {
    try {
      execFileSync('/bin/sh', ['-c', script], { stdio: 'pipe' });
      return 0;
    } catch (e) {
      return (e as { status: number }).status;
    }
  };
  it('writes exact bytes with the wanted mode, and keeps a backup', () => {
    writeFileSync(target, 'old\n');
    const code = run(atomicWriteScript({ path: target, content: 'new $HOME `x`\nno newline', want: { mode: '0640' }, exists: true, backup: true }).text);
    assert.equal(code, 0);
    assert.equal(readFileSync(target, 'utf8'), 'new $HOME `x`\nno newline');
    assert.equal(statSync(target).mode & 0o777, 0o640);
    const backups = execFileSync('sh', ['-c', `ls ${dir}`], { encoding: 'utf8' }).split('\n').filter((f) => /^main\.cf\.\d{8}-\d{6}~$/.test(f));
    assert.equal(backups.length, 1);
    assert.equal(readFileSync(join(dir, backups[0]!), 'utf8'), 'old\n');
  });
  it('a failing validate leaves the old file untouched and no temporary file behind', () => {
    writeFileSync(target, 'keep me\n');
    const code = run(atomicWriteScript({ path: target, content: 'broken', want: {}, exists: true, validate: 'grep -q valid %s' }).text);
    assert.notEqual(code, 0);
    assert.equal(readFileSync(target, 'utf8'), 'keep me\n');
    assert.deepEqual(execFileSync('sh', ['-c', `ls -A ${dir} | grep '^\\.tend' || true`], { encoding: 'utf8' }), '');
  });
});

describe('staged replace (run in a real shell on a temp dir)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-staged-'));
  const target = join(dir, 'secret.conf');
  it('owner and mode are set before the first content byte', () => {
    writeFileSync(target, 'old\n');
    const seen = join(dir, 'seen');
    // `produce` records the staged file's mode and size at the moment content starts.
    const produce = new ShellText(`stat -c '%a %s' new > ${seen} && printf 'pw=1\\n' > new`);
    execFileSync('/bin/sh', ['-c', stagedReplaceScript({ path: target, produce, want: { mode: '0600' }, exists: true }).text]);
    assert.equal(readFileSync(seen, 'utf8'), '600 0\n');
    assert.equal(readFileSync(target, 'utf8'), 'pw=1\n');
  });
  it('validate sees the staged path even inside single quotes', () => {
    writeFileSync(target, 'keep\n');
    const script = atomicWriteScript({ path: target, content: 'broken\n', want: {}, exists: true, validate: "sh -c 'grep -q valid %s'" });
    assert.throws(() => execFileSync('/bin/sh', ['-c', script.text], { stdio: 'pipe' }), { status: 1 });
    assert.equal(readFileSync(target, 'utf8'), 'keep\n');
  });
  it('a script killed while writing leaves the old file and no staging directory', async () => {
    writeFileSync(target, 'keep\n');
    // `produce` writes part of the file, says so, then hangs as a slow writer would.
    const ready = join(mkdtempSync(join(tmpdir(), 'tend-staged-ready-')), 'ready');
    const produce = new ShellText(`printf partial > new && cat new > ${ready} && sleep 30`);
    // Its own process group, so that a signal reaches the shell, its subshell and the writer at once.
    const child = spawn('/bin/sh', ['-c', stagedReplaceScript({ path: target, produce, want: {}, exists: true }).text], { detached: true });
    const closed = new Promise((r) => child.on('close', r));
    while (!existsSync(ready) || readFileSync(ready, 'utf8') !== 'partial') await new Promise((r) => setTimeout(r, 10));
    process.kill(-child.pid!, 'SIGTERM');
    await closed;
    assert.equal(readFileSync(target, 'utf8'), 'keep\n');
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.tend')), []);
  });
});

describe('directory plan', () => {
  it('recurse: lists what inside has another owner, and chowns recursively', () => {
    const f = fixture('directory', 'converged');
    const p = plan('directory', f.params, f.probed);
    assert.deepEqual(p.changes.map((c) => c.subject), ['/var/spool/postfix/var/* ownership']);
    assert.match(p.changes[0]!.before!, /saslauthd\.pid/);
    // From inside the directory, reached by the safe walk (a link at the path included).
    assert.equal(walked(commandsText(p)), `(\n${enter('/var/spool/postfix/var')}\nchown -h -R -- root:sasl .\n)`);
  });
  it('recurse: directories chowns directories only', () => {
    const f = fixture('directory', 'converged');
    const p = plan('directory', { ...(f.params as object), recurse: 'directories' }, out('directory|root|root|755\n', '/var/spool/postfix/var/run\n'));
    // find hands each directory to chown from inside its parent (-execdir), never by a path through others' directories.
    assert.equal(walked(commandsText(p)), `(\n${enter('/var/spool/postfix/var')}\nchown -h -- root:sasl . &&\nfind . -mindepth 1 -type d -execdir chown -h -- root:sasl {} +\n)`);
  });
  it('missing: made by the walk (create), then owner and mode from inside it', () => {
    const p = plan('directory', { path: '/srv/a b', owner: 'root', group: 'sasl', mode: '0710' }, out('missing\n', ''));
    assert.equal(walked(commandsText(p)), `(\n${enter("'/srv/a b'", true)}\nchown -h -- root:sasl . &&\nchmod -- 0710 .\n)`);
  });
  it('a file where the directory should be is refused', () => {
    assert.throws(() => plan('directory', { path: '/srv/x' }, out('regular file|root|root|644\n', '')), /not a directory/);
  });
});

describe('link plan', () => {
  it('fresh Debian: /run/saslauthd is a directory, replaced only with force', () => {
    const f = fixture('link', 'installed');
    assert.throws(() => plan('link', f.params, f.probed), /set force: true/);
    const p = plan('link', { ...(f.params as object), force: true }, f.probed);
    assert.deepEqual(p.changes.map((c) => [c.before, c.after]), [['directory', 'symlink to /var/spool/postfix/var/run/saslauthd']]);
    assert.match(walked(commandsText(p)), /^tend_chase \/run\/saslauthd 0 0 0 \|\| .*\nrm -rf -- "\$tend_name" &&\nln -s -- /m);
  });
  it('converged: nothing; a link elsewhere is swapped atomically', () => {
    const f = fixture('link', 'converged');
    assert.deepEqual(plan('link', f.params, f.probed), { changes: [], commands: [] });
    const p = plan('link', f.params, withSection(f.probed, 0, (s) => s.replace('/var/spool/postfix/var/run/saslauthd', '/elsewhere')));
    // Made under a random name that ln refuses if it exists, then renamed over the path.
    // In the directory the safe walk reached, by relative names.
    const made = /^ln -s -- \/var\/spool\/postfix\/var\/run\/saslauthd (\.tend\.[0-9a-f]{24}) && \{ mv -Tf -- (\S+) "\$tend_name" /m.exec(walked(commandsText(p)));
    assert.ok(made, commandsText(p));
    assert.equal(made[1], made[2]);
    assert.notEqual(commandsText(p), commandsText(plan('link', f.params, withSection(f.probed, 0, (s) => s.replace('/var/spool/postfix/var/run/saslauthd', '/elsewhere')))));
  });
});

describe('command plan', () => {
  it('creates/removes/unless make it idempotent; otherwise it runs, quoted', () => {
        assert.equal(plan('command', { cmd: 'newaliases', creates: '/etc/aliases.db' }, out('creates-exists\n')).commands.length, 0);
    assert.equal(plan('command', { cmd: 'x', unless: 'true' }, out('unless-ok\n')).commands.length, 0);
    const p = plan('command', { cmd: "echo 'hi' > /tmp/x", creates: '/tmp/x' }, out('', ''));
    assert.equal(commandsText(p), `sh -c 'echo '"'"'hi'"'"' > /tmp/x'`);
    assert.equal(p.changes[0]!.reason, '/tmp/x does not exist');
  });
});
