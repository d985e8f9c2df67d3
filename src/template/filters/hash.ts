// Digests and password hashes: hash, checksum, md5, sha1, password_hash (MD5-crypt, SHA-crypt as
// passlib makes it, with its default rounds: 656000 for sha512, 535000 for sha256, named in
// the hash), to_uuid (UUID v5 in Ansible's namespace).
import { createHash, randomBytes } from 'node:crypto';
import { PyError } from '../errors.ts';
import type { FilterDef } from '../eval.ts';
import { num, str } from '../values.ts';
import { define } from './util.ts';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ORDER: Record<string, number[][]> = {
  sha512: [[0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41]],
  sha256: [[0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29]],
};
const DEFAULT_ROUNDS: Record<string, number> = { sha512: 656000, sha256: 535000 };
const MAX_ROUNDS = 10_000_000;

function b64(w: number, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ITOA64[w & 0x3f];
    w >>>= 6;
  }
  return out;
}

/** SHA-crypt ($5$/$6$), the algorithm glibc's crypt and passlib implement. */
export function shaCrypt(algo: 'sha512' | 'sha256', password: string, salt: string, rounds: number): string {
  const H = (...parts: Buffer[]) => {
    const h = createHash(algo);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 16), 'utf8');
  const size = algo === 'sha512' ? 64 : 32;
  const repeatTo = (block: Buffer, len: number) => Buffer.concat(Array.from({ length: Math.ceil(len / size) }, () => block)).subarray(0, len);
  const b = H(p, s, p);
  const aParts = [p, s, repeatTo(b, p.length)];
  for (let n = p.length; n > 0; n >>= 1) aParts.push(n & 1 ? b : p);
  let c = H(...aParts);
  const P = repeatTo(H(...Array.from({ length: p.length }, () => p)), p.length);
  const S = repeatTo(H(...Array.from({ length: 16 + c[0]! }, () => s)), s.length);
  for (let i = 0; i < rounds; i++) {
    const parts: Buffer[] = [i & 1 ? P : c];
    if (i % 3) parts.push(S);
    if (i % 7) parts.push(P);
    parts.push(i & 1 ? c : P);
    c = H(...parts);
  }
  let out = ORDER[algo]!.map(([x, y, z]) => b64((c[x!]! << 16) | (c[y!]! << 8) | c[z!]!, 4)).join('');
  out += algo === 'sha512' ? b64(c[63]!, 2) : b64((c[31]! << 8) | c[30]!, 3);
  const id = algo === 'sha512' ? '6' : '5';
  return `$${id}$${rounds === 5000 ? '' : `rounds=${rounds}$`}${salt.slice(0, 16)}$${out}`;
}

/** MD5-crypt ($1$), passlib's md5_crypt: 1000 rounds, at most 8 salt characters. */
export function md5Crypt(password: string, salt: string): string {
  const md5 = (...parts: Buffer[]) => {
    const h = createHash('md5');
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 8), 'utf8');
  const alt = md5(p, s, p);
  const parts: Buffer[] = [p, Buffer.from('$1$'), s];
  for (let left = p.length; left > 0; left -= 16) parts.push(alt.subarray(0, Math.min(16, left)));
  for (let i = p.length; i; i >>= 1) parts.push(i & 1 ? Buffer.from([0]) : p.subarray(0, 1));
  let f = md5(...parts);
  for (let i = 0; i < 1000; i++) {
    const round: Buffer[] = [i & 1 ? p : f];
    if (i % 3) round.push(s);
    if (i % 7) round.push(p);
    round.push(i & 1 ? f : p);
    f = md5(...round);
  }
  const groups = [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5]];
  const out = groups.map(([a, b, c]) => b64((f[a!]! << 16) | (f[b!]! << 8) | f[c!]!, 4)).join('') + b64(f[11]!, 2);
  return `$1$${salt.slice(0, 8)}$${out}`;
}

function digest(algo: string, v: unknown): string {
  try {
    return createHash(algo).update(str(v), 'utf8').digest('hex');
  } catch {
    return '';
  }
}

function uuid5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export const HASH_FILTERS: Record<string, FilterDef> = {
  hash: define('get_hash', ['hashtype'], ['sha1'], (_c, v, t) => {
    const algo = str(t);
    const out = digest(algo, v);
    if (!out) throw new PyError('AnsibleFilterError', `Unsupported hash type ${algo}`, 'AnsibleFilterError');
    return out;
  }),
  checksum: define('checksum_s', [], [], (_c, v) => digest('sha1', v)),
  sha1: define('secure_hash_s', [], [], (_c, v) => digest('sha1', v)),
  md5: define('md5s', [], [], (_c, v) => digest('md5', v)),
  password_hash: define('get_encrypted_password', ['hashtype', 'salt', 'salt_size', 'rounds', 'ident'], ['sha512', null, null, null, null], (_c, v, type, salt, saltSize, rounds) => {
    const t = str(type);
    if (t === 'md5' || t === 'md5_crypt') {
      const s = salt === null ? [...randomBytes(8)].map((x) => ITOA64[x & 0x3f]).join('') : str(salt);
      return md5Crypt(str(v), s);
    }
    const algo = t === 'sha512' || t === 'sha512_crypt' ? 'sha512' : t === 'sha256' || t === 'sha256_crypt' ? 'sha256' : null;
    if (!algo) throw new PyError('AnsibleFilterError', `password_hash: ${t} is not supported by tend yet`, 'AnsibleFilterError');
    const r = rounds === null ? DEFAULT_ROUNDS[algo]! : num(rounds);
    if (r < 1000 || r > MAX_ROUNDS) throw new PyError('AnsibleFilterError', `rounds must be between 1000 and ${MAX_ROUNDS}`, 'AnsibleFilterError');
    const n = saltSize === null ? 16 : num(saltSize);
    const s = salt === null ? [...randomBytes(n)].map((x) => ITOA64[x & 0x3f]).join('') : str(salt);
    return shaCrypt(algo, str(v), s, r);
  }),
  to_uuid: define('to_uuid', ['namespace'], ['361E6D51-FAEC-444A-9079-341386DA8E2E'], (_c, v, ns) => uuid5(str(ns), str(v))),
};
