// OpenSSH known_hosts files: plain and hashed (|1|salt|hash) host patterns, [host]:port,
// wildcards, negation, @revoked. Host keys are verified against them; a new key is only
// recorded when the user asked to trust on first use. Names match case-insensitively,
// hashed ones too, as OpenSSH lowercases the name it hashes. @cert-authority lines are
// read but tend cannot check host certificates (ssh2 does not offer them): a host known
// only through a CA is refused with that reason. Lines with other markers are ignored,
// never trusted.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { globToRegExp } from '../glob.ts';

export interface KnownKey {
  type: string;
  blob: Buffer;
  revoked: boolean;
}

export type Verdict =
  | { kind: 'known' }
  | { kind: 'unknown'; certificateAuthority?: string }
  | { kind: 'changed'; expected: string[] }
  | { kind: 'revoked' };

interface Line {
  patterns: string;
  key: KnownKey;
  /** `file:line`, to name it in messages. */
  where: string;
  ca: boolean;
}

/** The name a host has in known_hosts: `addr`, or `[addr]:port` when not on 22. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (its first string). */
export function keyType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

export class KnownHosts {
  private constructor(
    private readonly lines: Line[],
    readonly files: string[],
    /** Lines that were not used, and why (unknown markers). */
    readonly ignored: string[],
  ) {}

  static load(files: string[]): KnownHosts {
    const lines: Line[] = [];
    const ignored: string[] = [];
    for (const file of files) {
      if (!existsSync(file)) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((raw, index) => {
          const line = raw.trim();
          if (!line || line.startsWith('#')) return;
          const words = line.split(/\s+/);
          let marker: string | undefined;
          if (words[0]?.startsWith('@')) marker = words.shift();
          const where = `${file}:${index + 1}`;
          if (marker !== undefined && marker !== '@revoked' && marker !== '@cert-authority') {
            ignored.push(`${where}: unknown marker ${marker}, line ignored`);
            return;
          }
          const [patterns, type, base64] = words;
          if (!patterns || !type || !base64) return;
          const key = { type, blob: Buffer.from(base64, 'base64'), revoked: marker === '@revoked' };
          lines.push({ patterns, key, where, ca: marker === '@cert-authority' });
        });
    }
    return new KnownHosts(lines, files, ignored);
  }

  /** The host keys known for a name (certificate authorities are not host keys). */
  keysFor(name: string): KnownKey[] {
    return this.lines.filter((l) => !l.ca && matchesPatterns(l.patterns, name)).map((l) => l.key);
  }

  verify(name: string, blob: Buffer): Verdict {
    const keys = this.keysFor(name);
    if (keys.some((k) => k.revoked && k.blob.equals(blob))) return { kind: 'revoked' };
    const valid = keys.filter((k) => !k.revoked);
    if (valid.some((k) => k.blob.equals(blob))) return { kind: 'known' };
    if (valid.length === 0) {
      const ca = this.lines.find((l) => l.ca && !l.key.revoked && matchesPatterns(l.patterns, name));
      return ca ? { kind: 'unknown', certificateAuthority: ca.where } : { kind: 'unknown' };
    }
    return { kind: 'changed', expected: valid.map((k) => `${k.type} ${fingerprint(k.blob)}`) };
  }

  /**
   * Records a key trusted on first use, in the first known_hosts file: under a lock
   * file (other tend or ssh runs may record at the same time), the whole file rewritten
   * to a temporary one and renamed, a newline added where the last line lacked one.
   */
  record(name: string, blob: Buffer, lockWaitMs = LOCK_WAIT_MS): void {
    const file = this.files[0];
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const entry = `${name} ${keyType(blob)} ${blob.toString('base64')}\n`;
    withLock(`${file}.lock`, lockWaitMs, () => {
      const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
      const text = old === '' || old.endsWith('\n') ? `${old}${entry}` : `${old}\n${entry}`;
      const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      const fd = openSync(tmp, 'wx', existsSync(file) ? statSync(file).mode & 0o777 : 0o600);
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, file);
    });
    this.lines.push({ patterns: name, key: { type: keyType(blob), blob, revoked: false }, where: file, ca: false });
  }
}

const LOCK_WAIT_MS = 10_000;
const STALE_LOCK_MS = 60_000;

/** Runs `fn` holding an exclusive lock file; waits for another holder, breaks a stale lock. */
function withLock(lock: string, waitMs: number, fn: () => void): void {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) unlinkSync(lock);
      } catch {
        // The holder just released it.
      }
      if (Date.now() > deadline) throw new Error(`known_hosts is locked by another process (${lock})`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    fn();
  } finally {
    unlinkSync(lock);
  }
}

function matchesPatterns(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) return matchesHashed(patterns, name);
  let matched = false;
  for (const p of patterns.split(',')) {
    const negated = p.startsWith('!');
    if (glob(negated ? p.slice(1) : p, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function matchesHashed(entry: string, name: string): boolean {
  const [, , salt, hash] = entry.split('|');
  if (!salt || !hash) return false;
  // OpenSSH hashes the name in lower case.
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name.toLowerCase()).digest('base64');
  return digest === hash;
}

function glob(pattern: string, name: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern.toLowerCase() === name.toLowerCase();
  return globToRegExp(pattern, 'i').test(name);
}
