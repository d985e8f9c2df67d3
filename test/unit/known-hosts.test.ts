// Host key verification against known_hosts files, with OpenSSH's ssh-keygen as the
// oracle for hashing, and TOFU recording that never fuses or loses a line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KnownHosts, knownHostsName } from '../../src/transport/known-hosts.ts';

const dir = mkdtempSync(join(tmpdir(), 'tend-kh-'));

/** A fresh ed25519 public key: [type, base64, blob]. */
function newKey(name: string): { line: string; blob: Buffer } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  const [type, base64] = readFileSync(`${file}.pub`, 'utf8').split(' ');
  return { line: `${type} ${base64}`, blob: Buffer.from(base64!, 'base64') };
}

function knownHosts(text: string): { kh: KnownHosts; file: string } {
  const file = join(mkdtempSync(join(dir, 'f-')), 'known_hosts');
  writeFileSync(file, text);
  return { kh: KnownHosts.load([file]), file };
}

const a = newKey('a');
const b = newKey('b');

describe('known_hosts verification', () => {
  it('known, changed, unknown and revoked keys', () => {
    const { kh } = knownHosts(`web1 ${a.line}\n@revoked web2 ${b.line}\nweb2 ${a.line}\n`);
    assert.equal(kh.verify('web1', a.blob).kind, 'known');
    assert.equal(kh.verify('web1', b.blob).kind, 'changed');
    assert.equal(kh.verify('web3', a.blob).kind, 'unknown');
    assert.equal(kh.verify('web2', b.blob).kind, 'revoked');
  });

  it('[host]:port entries and case-insensitive names', () => {
    const { kh } = knownHosts(`[Web1.Example.org]:2222 ${a.line}\n`);
    assert.equal(kh.verify(knownHostsName('web1.example.ORG', 2222), a.blob).kind, 'known');
    assert.equal(kh.verify(knownHostsName('web1.example.org', 22), a.blob).kind, 'unknown');
  });

  it('hashed entries, as ssh-keygen -H writes them, match names in any case', () => {
    const { file } = knownHosts(`mail.example.org ${a.line}\n[mail.example.org]:2222 ${b.line}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    const hashed = readFileSync(file, 'utf8');
    assert.match(hashed, /^\|1\|/);
    const kh = KnownHosts.load([file]);
    assert.equal(kh.verify('Mail.Example.ORG', a.blob).kind, 'known');
    assert.equal(kh.verify('[MAIL.example.org]:2222', b.blob).kind, 'known');
    assert.equal(kh.verify('mail.example.org', b.blob).kind, 'changed');
  });

  it('an unknown @marker is never trusted', () => {
    const { kh } = knownHosts(`@trusted web1 ${a.line}\n`);
    assert.equal(kh.verify('web1', a.blob).kind, 'unknown');
    assert.match(kh.ignored[0]!, /unknown marker @trusted/);
  });

  it('a host known only through @cert-authority is refused with that reason', () => {
    const { kh } = knownHosts(`@cert-authority *.example.org ${a.line}\n`);
    const verdict = kh.verify('web1.example.org', a.blob);
    assert.equal(verdict.kind, 'unknown');
    assert.match((verdict as { certificateAuthority: string }).certificateAuthority, /known_hosts:1$/);
  });

  it('a lookup compares only the lines that can name the host, not every line (10000 hosts: 4 lines, not 10000)', () => {
    const many = Array.from({ length: 10000 }, (_, k) => `host${k}.example.org,10.0.${k >> 8}.${k & 255} ${k === 7777 ? a.line : b.line}`);
    const { kh } = knownHosts([...many, `*.lab ${b.line}`, `|1|c2FsdA==|aGFzaA== ${b.line}`, `!web*,*.example.org ${b.line}`].join('\n'));
    kh.comparisons = 0;
    assert.equal(kh.verify('HOST7777.example.org', a.blob).kind, 'known');
    // The host's own line, and the three that need a pattern or a hash tried.
    assert.equal(kh.comparisons, 4);
    assert.equal(kh.verify('10.0.30.97', a.blob).kind, 'known');
    assert.equal(kh.verify('host1.example.org', a.blob).kind, 'changed');
    assert.equal(kh.verify('db.lab', b.blob).kind, 'known');
    assert.equal(kh.verify('web1.example.org', b.blob).kind, 'unknown', 'a negated pattern still excludes');
  });

  it('keys come back in file order, wherever a line was found', () => {
    const { kh } = knownHosts(`web* ${b.line}\nweb1 ${a.line}\n*1 ${b.line}\n`);
    assert.deepEqual(kh.keysFor('web1').map((k) => k.blob.equals(a.blob)), [false, true, false]);
  });
});

describe('recording a key trusted on first use', () => {
  it('adds the missing newline instead of fusing two entries, and keeps every line', () => {
    const { kh, file } = knownHosts(`web1 ${a.line}`); // no final newline
    kh.record('web2', b.blob);
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.deepEqual(lines, [`web1 ${a.line}`, `web2 ${b.line.trim()}`, '']);
    const again = KnownHosts.load([file]);
    assert.equal(again.verify('web1', a.blob).kind, 'known');
    assert.equal(again.verify('web2', b.blob).kind, 'known');
  });

  it('waits for a lock held by another writer, and leaves no lock or temporary file', () => {
    const { kh, file } = knownHosts('');
    writeFileSync(`${file}.lock`, '');
    // The lock is taken: record waits, then gives up rather than write beside the holder.
    assert.throws(() => kh.record('web1', a.blob, 300), /locked by another process/);
    assert.equal(readFileSync(file, 'utf8'), '');
    execFileSync('rm', ['-f', `${file}.lock`]);
    kh.record('web1', a.blob);
    assert.deepEqual(execFileSync('ls', ['-A', join(file, '..')], { encoding: 'utf8' }).trim().split('\n'), ['known_hosts']);
  });
});
