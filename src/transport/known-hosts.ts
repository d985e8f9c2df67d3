// OpenSSH known_hosts files: plain and hashed (|1|salt|hash) host patterns, [host]:port,
// wildcards, negation, @revoked. Host keys are verified against them; a new key is only
// recorded when the user asked to trust on first use.
import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { globToRegExp } from '../glob.ts';

export interface KnownKey {
  type: string;
  blob: Buffer;
  revoked: boolean;
}

export type Verdict = { kind: 'known' } | { kind: 'unknown' } | { kind: 'changed'; expected: string[] } | { kind: 'revoked' };

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
    private readonly lines: { patterns: string; key: KnownKey }[],
    readonly files: string[],
  ) {}

  static load(files: string[]): KnownHosts {
    const lines: { patterns: string; key: KnownKey }[] = [];
    for (const file of files) {
      if (!existsSync(file)) continue;
      for (const raw of readFileSync(file, 'utf8').split('\n')) {
        const line = raw.trim();
        if (!line || line.startsWith('#')) continue;
        const words = line.split(/\s+/);
        let marker: string | undefined;
        if (words[0]?.startsWith('@')) marker = words.shift();
        const [patterns, type, base64] = words;
        if (!patterns || !type || !base64 || marker === '@cert-authority') continue;
        lines.push({ patterns, key: { type, blob: Buffer.from(base64, 'base64'), revoked: marker === '@revoked' } });
      }
    }
    return new KnownHosts(lines, files);
  }

  keysFor(name: string): KnownKey[] {
    return this.lines.filter((l) => matchesPatterns(l.patterns, name)).map((l) => l.key);
  }

  verify(name: string, blob: Buffer): Verdict {
    const keys = this.keysFor(name);
    if (keys.some((k) => k.revoked && k.blob.equals(blob))) return { kind: 'revoked' };
    const valid = keys.filter((k) => !k.revoked);
    if (valid.some((k) => k.blob.equals(blob))) return { kind: 'known' };
    if (valid.length === 0) return { kind: 'unknown' };
    return { kind: 'changed', expected: valid.map((k) => `${k.type} ${fingerprint(k.blob)}`) };
  }

  /** Records a key trusted on first use, in the first known_hosts file. */
  record(name: string, blob: Buffer): void {
    const file = this.files[0];
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    appendFileSync(file, `${name} ${keyType(blob)} ${blob.toString('base64')}\n`, { mode: 0o600 });
    this.lines.push({ patterns: name, key: { type: keyType(blob), blob, revoked: false } });
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
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

function glob(pattern: string, name: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern.toLowerCase() === name.toLowerCase();
  return globToRegExp(pattern, 'i').test(name);
}
