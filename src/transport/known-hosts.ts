// OpenSSH known_hosts files: plain and hashed (|1|salt|hash) host patterns, [host]:port,
// wildcards, negation, @revoked. Host keys are verified against them; a new key is only
// recorded when the user asked to trust on first use. Names match case-insensitively,
// hashed ones too, as OpenSSH lowercases the name it hashes. @cert-authority lines are
// read but tend cannot check host certificates (ssh2 does not offer them): a host known
// only through a CA is refused with that reason. Lines with other markers are ignored,
// never trusted.
// A lookup does not read every line: lines that name hosts literally are indexed by
// name; only hashed lines and lines with wildcards or negations are tried one by one
// (a hashed name can only be checked by hashing the name with each line's salt).
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
  /** Its place among all lines, so that keys come back in file order. */
  order: number;
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
  /** Lines whose patterns are all literal names, by each name in lower case. */
  private readonly byName = new Map<string, Line[]>();
  /** Hashed lines, and lines with wildcards or negations: tried one by one. */
  private readonly unindexed: Line[] = [];
  /** How many lines lookups have compared with a name so far (tests show lookups do not scan). */
  comparisons = 0;

  private constructor(
    lines: Line[],
    readonly files: string[],
    /** Lines that were not used, and why (unknown markers). */
    readonly ignored: string[],
  ) {
    for (const line of lines) this.add(line);
  }

  private add(line: Line): void {
    const names = line.patterns.split(',');
    if (line.patterns.startsWith('|') || names.some((n) => /[*?!]/.test(n))) {
      this.unindexed.push(line);
      return;
    }
    for (const name of new Set(names.map((n) => n.toLowerCase()))) {
      const list = this.byName.get(name);
      if (list) list.push(line);
      else this.byName.set(name, [line]);
    }
  }

  /** The lines that name `name`, in file order. */
  private linesFor(name: string): Line[] {
    const indexed = this.byName.get(name.toLowerCase()) ?? [];
    const matched = this.unindexed.filter((l) => matchesPatterns(l.patterns, name));
    this.comparisons += indexed.length + this.unindexed.length;
    return matched.length === 0 ? indexed : [...indexed, ...matched].sort((a, b) => a.order - b.order);
  }

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
          lines.push({ order: lines.length, patterns, key, where, ca: marker === '@cert-authority' });
        });
    }
    return new KnownHosts(lines, files, ignored);
  }

  /** The host keys known for a name (certificate authorities are not host keys). */
  keysFor(name: string): KnownKey[] {
    return this.linesFor(name)
      .filter((l) => !l.ca)
      .map((l) => l.key);
  }

  verify(name: string, blob: Buffer): Verdict {
    const lines = this.linesFor(name);
    const keys = lines.filter((l) => !l.ca).map((l) => l.key);
    if (keys.some((k) => k.revoked && k.blob.equals(blob))) return { kind: 'revoked' };
    const valid = keys.filter((k) => !k.revoked);
    if (valid.some((k) => k.blob.equals(blob))) return { kind: 'known' };
    if (valid.length === 0) {
      const ca = lines.find((l) => l.ca && !l.key.revoked);
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
    this.add({ order: Number.MAX_SAFE_INTEGER, patterns: name, key: { type: keyType(blob), blob, revoked: false }, where: file, ca: false });
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
