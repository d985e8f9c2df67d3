import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { modules } from '../../tasks/index.ts';
import { atomicWriteScript, stagedReplaceScript } from '../../tasks/lib/atomic.ts';
import { ShellText } from '../../src/shell.ts';
import { commandsText, out, plan, walked } from './fixtures.ts';

const stat = (line: string, content = '') => out('plain\n', `${line}\n`, content);

describe('copy plan (content)', () => {
  it('content: same content and mode → nothing; other mode → chmod only', () => {
    const ok = plan('copy', { dest: '/etc/x', content: 'a\n', mode: '0644' }, stat('regular file|root|root|644', 'a\n'));
    assert.deepEqual(ok, { changes: [], commands: [] });
    const mode = plan('copy', { dest: '/etc/x', content: 'a\n', mode: '0600' }, stat('regular file|root|root|644', 'a\n'));
    assert.deepEqual(mode.changes, [{ subject: '/etc/x mode', kind: 'set', before: '0644', after: '0600' }]);
    // Through a hard link in the private staging directory, never by the path.
    const script = walked(commandsText(mode));
    assert.match(script, /^tend_chase \/etc\/x 0 0 0 \|\|/m);
    assert.match(script, /^ln -P -- "\.\.\/\$tend_name" it &&$/m);
    assert.match(script, /^chmod -- 0600 it\n\)$/m);
    assert.doesNotMatch(script, /chmod -- 0600 \/etc\/x/);
  });
  it('a symbolic mode is applied to the mode the file has', () => {
    const p = plan('copy', { dest: '/etc/x', content: 'a\n', mode: 'u+x,g-r,o=' }, stat('regular file|root|root|644', 'a\n'));
    assert.deepEqual(p.changes, [{ subject: '/etc/x mode', kind: 'set', before: '0644', after: '0700' }]);
  });
  it('content differs: one atomic write, shown as a diff; secret content is never in the change', () => {
    const p = plan('copy', { dest: '/etc/x', content: 'new\n' }, stat('regular file|root|root|644', 'old\n'));
    assert.deepEqual(p.changes.map((c) => [c.kind, c.before, c.after]), [['content', 'old\n', 'new\n']]);
    const script = walked(commandsText(p));
    assert.match(script, /^tend_chase \/etc\/x 0 0 0 \|\|/m);
    assert.match(script, /^mkdir -m 0700 -- \.tend\.[0-9a-f]{24} &&$/m);
    assert.match(script, /mv -fT -- new "\.\.\/\$tend_name"\n\)$/);
    const secret = plan('copy', { dest: '/etc/x', content: 'pw=hunter2\n', secret: true }, stat('regular file|root|root|600', 'pw=old\n'));
    assert.equal(secret.changes[0]!.secret, true);
    // A new secret file is 0600 before its first byte; other new files 0644.
    const fresh = (secret: boolean) => walked(commandsText(plan('copy', { dest: '/etc/x', content: 'pw\n', secret }, stat('missing'))));
    assert.match(fresh(true), /^chmod 0600 new &&\nprintf/m);
    assert.match(fresh(false), /^chmod 0644 new &&\nprintf/m);
  });
  it('force: false leaves an existing file’s content, and writes a missing one', () => {
    assert.deepEqual(plan('copy', { dest: '/etc/x', content: 'new\n', force: false }, stat('regular file|root|root|644', 'old\n')), { changes: [], commands: [] });
    assert.equal(plan('copy', { dest: '/etc/x', content: 'new\n', force: false }, stat('missing')).changes[0]!.reason, 'new file');
  });
  it('content into a directory is refused, as Ansible refuses it', () => {
    assert.throws(() => plan('copy', { dest: '/etc/x', content: 'a' }, stat('directory')), /can not use content with a dir as dest/);
    assert.throws(() => plan('copy', { dest: '/etc/x/', content: 'a' }, stat('missing')), /can not use content with a dir as dest/);
  });
  it('a symlink at dest is refused unless follow: true, which acts on the resolved file only', () => {
    const linked = out('link /etc/real\n', 'regular file|root|root|644\n', 'old\n');
    assert.throws(() => plan('copy', { dest: '/etc/x', content: 'new\n' }, linked), /\/etc\/x is a symbolic link \(to \/etc\/real\); set follow: true/);
    const p = plan('copy', { dest: '/etc/x', content: 'new\n', follow: true }, linked);
    assert.equal(p.changes[0]!.subject, '/etc/real');
    // The walk is told to follow the link (by the same safety rule), then works relative to where it led.
    assert.match(walked(commandsText(p)), /^tend_chase \/etc\/x 1 0 0 \|\|/m);
    assert.match(commandsText(p), /mv -fT -- new "\.\.\/\$tend_name"\n/);
  });
  it('validate needs %s; one of content or src', () => {
    assert.throws(() => plan('copy', { dest: '/etc/x', content: 'a', validate: 'true' }, stat('missing')), { name: 'ZodError', message: /validate must contain %s/ });
    assert.throws(() => plan('copy', { dest: '/etc/x' }, stat('missing')), { name: 'ZodError', message: /give one of src or content/ });
    assert.throws(() => plan('copy', { dest: '/etc/x', content: 'a', src: 'b' }, stat('missing')), { name: 'ZodError', message: /give one of src or content/ });
  });
  it('backup: the name chosen by the plan is a change, and returns() says it as backup_file', () => {
    const copy = modules.get('copy')!;
    const params = copy.params.parse({ dest: '/etc/x', content: 'new\n', backup: true });
    const probed = stat('regular file|root|root|644', 'old\n');
    const p = copy.plan(params, probed);
    const backup = p.changes.find((c) => c.subject === '/etc/x backup')!.after!;
    assert.match(backup, /^\/etc\/x\.\d{8}-\d{6}~$/);
    assert.ok(commandsText(p).includes(`ln -P -- "../$tend_name" '../${backup.slice('/etc/'.length)}'`), commandsText(p));
    const r = copy.returns!(params, probed, p, { check: false });
    assert.deepEqual(r, { dest: '/etc/x', checksum: createHash('sha1').update('new\n').digest('hex'), size: 4, mode: '0644', owner: 'root', group: 'root', backup_file: backup });
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

describe('command plan', () => {
  it('creates/removes/unless make it idempotent; otherwise it runs, quoted', () => {
        assert.equal(plan('command', { cmd: 'newaliases', creates: '/etc/aliases.db' }, out('creates-exists\n')).commands.length, 0);
    assert.equal(plan('command', { cmd: 'x', unless: 'true' }, out('unless-ok\n')).commands.length, 0);
    const p = plan('command', { cmd: "echo 'hi' > /tmp/x", creates: '/tmp/x' }, out('', ''));
    // No shell, as Ansible's command: the quotes are undone, '>' is a word.
    assert.equal(commandsText(p), `echo hi '>' /tmp/x`);
    assert.equal(commandsText(plan('shell', { cmd: "echo 'hi' > /tmp/x" }, out('', ''))), `sh -c 'echo '"'"'hi'"'"' > /tmp/x'`);
    assert.equal(p.changes[0]!.reason, '/tmp/x does not exist');
  });
});
