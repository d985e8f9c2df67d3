// The password lookup: lookup('password', 'path [key=value ...]', length=…, chars=…, encrypt=…,
// ident=…, seed=…), as ansible-core 2.14's ansible.builtin.password runs on the controller
// (test/conformance/password-lookup.json holds its answers, recorded by
// test/conformance/record-password.py).
//
// What Ansible does, and tend with it:
//   - The file at the path (relative to the first search-path directory, as Ansible's
//     loader joins it to the playbook's; `~` and $VARS expanded) holds the password: read
//     with trailing whitespace stripped, `<password> salt=<salt>[ ident=<ident>]` split.
//     `/dev/null` is never read nor written: a new password every time.
//   - No file: a new password of `length` (20) characters drawn from `chars` (names of
//     Python's string constants — ascii_letters, digits, punctuation, hexdigits, … — or
//     literal characters; quotes never; a term's `chars=a,b,,` takes ',,' for a comma) is
//     stored with a newline, with ` salt=<salt>` when `encrypt` is asked, in a file made
//     0600 (a missing directory made 0700, the missing ones above it as mkdir -p makes them).
//   - encrypt (md5_crypt, sha256_crypt, sha512_crypt, as the password_hash filter makes
//     them: passlib's rounds, 535000 and 656000) returns the hash of the stored password
//     with the stored salt; without a stored salt one is made (16 characters, 8 for
//     md5_crypt) and the file rewritten. As 2.14 does, the file is rewritten on every
//     encrypt call, and a stored ident is replaced by the one asked for (or dropped).
//   - seed: the password is what Python's random.Random(seed).choice draws (its Mersenne
//     Twister, seeded from the text and its SHA-512 as Python seeds with a str),
//     character for character; a salt made for encrypt stays random, as in Ansible.
// Where tend is stricter than Ansible (its safety rules): a new file is written to a
// temporary file (O_EXCL|O_NOFOLLOW, 0600 from its first byte) in the same directory and
// hard-linked into place, so a file or symlink that appears at the path meanwhile is never
// overwritten nor followed (its content is read instead, as Ansible's lock makes a second
// process read the first's); a rewrite renames over the path. A symlink at the path is
// followed only when it belongs to this user or root, and never when it points nowhere
// (Ansible would create its target). encrypt=bcrypt and passlib's other schemes are
// refused (tend has no bcrypt), and `chars` naming a string-module attribute that is not
// a string constant (capwords, __doc__, …) is refused instead of printing a function's repr.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { PyError, TemplateError, TemplateLimitError } from './errors.ts';
import { md5Crypt, shaCrypt } from './filters/hash.ts';
import { LIMITS } from './limits.ts';
import { isDict, isFloat, isInt, num, str, strRepr, typeName } from './values.ts';

/** What the lookup needs of the lookup options (lookups.ts's LookupOptions has these). */
export interface PasswordLookupOptions {
  /** Its first directory is where relative paths are (the playbook's). */
  searchPath?: string[];
  /** The environment $VARS in a path expand from (default: process.env). */
  env?: Record<string, string | undefined>;
  /**
   * Told every password the lookup reads or makes (and the hash it returns), for whatever
   * masks secrets to mask them by value. Nothing passes one yet: lookups.ts's
   * LookupOptions and the engine's templating would have to carry it.
   */
  secrets?: { add(value: string): void };
}

const ansibleError = (msg: string) => new PyError('AnsibleError', msg, 'AnsibleError');
const optionError = (setting: string, msg: string) =>
  new PyError('AnsibleOptionsError', `Invalid type for configuration option plugin_type: lookup plugin: password setting: ${setting} (from Direct): ${msg}`, 'AnsibleOptionsError');

const VALID_PARAMS = new Set(['length', 'encrypt', 'chars', 'ident', 'seed']);
const DEFAULT_CHARS = ['ascii_letters', 'digits', '.,:-_'];
const DEFAULT_LENGTH = 20;

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const WHITESPACE = ' \t\n\r\x0b\x0c';
/** Python's string module constants (3.11), the names `chars` may use. */
const STRING_CONSTANTS: Record<string, string> = {
  ascii_lowercase: LOWER,
  ascii_uppercase: UPPER,
  ascii_letters: LOWER + UPPER,
  digits: DIGITS,
  hexdigits: `${DIGITS}abcdefABCDEF`,
  octdigits: '01234567',
  punctuation: PUNCTUATION,
  whitespace: WHITESPACE,
  printable: DIGITS + LOWER + UPPER + PUNCTUATION + WHITESPACE,
};
/** The string module's other attributes: Ansible would put their str() (a function's repr, a docstring) into the alphabet. */
const STRING_OTHERS = new Set(['Formatter', 'Template', '_ChainMap', '__all__', '__builtins__', '__cached__', '__doc__', '__file__', '__loader__', '__name__', '__package__', '__spec__', '_re', '_sentinel_dict', '_string', 'capwords']);

/** passlib's schemes the lookup knows: salt size, the ident it implies. */
const SCHEMES: Record<string, { saltSize: number; ident: string | null }> = {
  md5_crypt: { saltSize: 8, ident: null },
  bcrypt: { saltSize: 22, ident: '2b' },
  sha256_crypt: { saltSize: 16, ident: null },
  sha512_crypt: { saltSize: 16, ident: null },
};
const HASHABLE = new Set(['md5_crypt', 'sha256_crypt', 'sha512_crypt']);
const SALT_CHARS = `${LOWER}${UPPER}${DIGITS}./`;

interface Params {
  length: number;
  encrypt: string | null;
  ident: string | null;
  seed: string | null;
  chars: string[] | string;
}

/** Python's int() of a str: optional sign, digits (underscores between), surrounding whitespace. */
function pyInt(s: string): number {
  const m = /^[ \t\n\r\v\f]*([+-]?\d+(?:_\d+)*)[ \t\n\r\v\f]*$/.exec(s);
  if (!m) throw new PyError('ValueError', `invalid literal for int() with base 10: ${strRepr(s)}`, 'AnsibleError');
  return Number(m[1]!.replaceAll('_', ''));
}

/** A value wrapped in one pair of matching quotes loses them (Ansible's unquote). */
function unquote(s: string): string {
  return s.length > 1 && s[0] === s[s.length - 1] && (s[0] === '"' || s[0] === "'") && s[s.length - 2] !== '\\' ? s.slice(1, -1) : s;
}

/** The keyword options, converted as Ansible's config types convert them (set_options). */
function keywordOptions(kwargs: Map<string, unknown>): Partial<Params> {
  const out: Partial<Params> = {};
  // Ansible 2.14 takes keywords it does not know (salt=…, foo=…) without a word.
  const given = (k: string) => kwargs.has(k) && kwargs.get(k) !== null && kwargs.get(k) !== undefined;
  if (given('length')) {
    const v = kwargs.get('length');
    if (typeof v === 'string') {
      try {
        out.length = pyInt(v);
      } catch (e) {
        throw optionError('length', (e as Error).message);
      }
    } else if (typeof v === 'boolean' || isInt(v) || isFloat(v)) out.length = Math.trunc(num(v));
    // int() of a list is a TypeError, which Ansible's config reports without its text.
    else throw ansibleError('Unhandled exception when retrieving length:');
  }
  for (const k of ['seed', 'ident'] as const) {
    if (!given(k)) continue;
    const v = kwargs.get(k);
    if (typeof v !== 'string' && typeof v !== 'boolean' && !isInt(v) && !isFloat(v)) throw optionError(k, `Invalid type provided for "string": ${str(v)}`);
    out[k] = unquote(str(v));
  }
  if (given('encrypt')) {
    const v = kwargs.get('encrypt');
    out.encrypt = typeof v === 'string' ? unquote(v) : str(v);
  }
  if (given('chars')) {
    const v = kwargs.get('chars');
    if (typeof v === 'string') out.chars = v.split(',').map((x) => unquote(x.trim()));
    else if (Array.isArray(v)) out.chars = v.map((x) => str(x));
    else throw optionError('chars', `Invalid type provided for "list": ${str(v)}`);
  }
  return out;
}

/** Ansible's parse_kv, as far as a password term needs it: words, quotes, `key=value`. */
function parseKv(text: string): Map<string, string> {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === null && c === ' ') {
      if (started) words.push(word);
      word = '';
      started = false;
      continue;
    }
    started = true;
    word += c;
    if ((c === '"' || c === "'") && text[i - 1] !== '\\') quote = quote === null ? c : quote === c ? null : quote;
  }
  if (quote !== null) throw ansibleError(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${text}`);
  if (started) words.push(word);
  const out = new Map<string, string>();
  const raw: string[] = [];
  for (const w of words) {
    const eq = w.indexOf('=', 1);
    if (eq < 0) raw.push(w);
    else out.set(w.slice(0, eq).trim(), unquote(w.slice(eq + 1).trim()));
  }
  if (raw.length) out.set('_raw_params', raw.join(' '));
  return out;
}

/** `path key=value …` into the path and the parameters (term ones win over keywords). */
function parseTerm(term: string, keywords: Partial<Params>): { relpath: string; params: Params } {
  const space = term.indexOf(' ');
  let relpath = term;
  let given = new Map<string, string>();
  if (space >= 0) {
    relpath = term.slice(0, space);
    given = parseKv(term.slice(space + 1));
    const raw = given.get('_raw_params');
    if (raw !== undefined) {
      // Spaces in the path; a word after the parameters is a mistake.
      relpath = `${relpath} ${raw}`;
      given.delete('_raw_params');
      if (!term.startsWith(relpath)) throw ansibleError('Unrecognized value after key=value parameters given to password lookup');
    }
  }
  const invalid = [...given.keys()].filter((k) => !VALID_PARAMS.has(k));
  if (invalid.length) throw ansibleError(`Unrecognized parameter(s) given to password lookup: ${invalid.join(', ')}`);
  let chars: string[] | string = keywords.chars ?? DEFAULT_CHARS;
  const termChars = given.get('chars');
  if (termChars !== undefined) {
    chars = termChars;
    // ',,' stands for a comma; the empty pieces between commas are nothing.
    if (termChars) chars = [...(termChars.includes(',,') ? [','] : []), ...termChars.replaceAll(',,', ',').split(',').filter((c) => c)];
  }
  const termLength = given.get('length');
  return {
    relpath,
    params: {
      length: termLength !== undefined ? pyInt(termLength) : (keywords.length ?? DEFAULT_LENGTH),
      encrypt: given.get('encrypt') ?? keywords.encrypt ?? null,
      ident: given.get('ident') ?? keywords.ident ?? null,
      seed: given.get('seed') ?? keywords.seed ?? null,
      chars,
    },
  };
}

/** The alphabet: string constants by name, anything else literally; quotes removed. */
function candidateChars(specs: string[] | string): string[] {
  let out = '';
  for (const spec of specs) {
    if (STRING_OTHERS.has(spec)) throw ansibleError(`chars=${spec}: not a set of characters (tend takes the string constants ${Object.keys(STRING_CONSTANTS).join(', ')} by name, and literal characters)`);
    out += STRING_CONSTANTS[spec] ?? spec;
  }
  return Array.from(out.replaceAll('"', '').replaceAll("'", ''));
}

/** Python's os.path.expandvars: $NAME and ${NAME} when set, left as written when not. */
function expandVars(path: string, env: Record<string, string | undefined>): string {
  return path.replace(/\$(\w+|\{[^}]*\})/g, (all, name: string) => {
    const v = env[name.startsWith('{') ? name.slice(1, -1) : name];
    return v === undefined ? all : v;
  });
}

function resolvePath(relpath: string, options: PasswordLookupOptions): string {
  let given = unquote(relpath);
  const base = options.searchPath?.[0] ?? process.cwd();
  if (!given.startsWith('/') && !given.startsWith('~')) given = join(base, given);
  given = expandVars(given, options.env ?? process.env);
  if (given === '~' || given.startsWith('~/')) given = homedir() + given.slice(1);
  return resolve(given);
}

/** Python's random.Random(seed) for a str seed: MT19937 seeded by init_by_array. */
class PythonRandom {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: string) {
    const text = Buffer.from(seed, 'utf8');
    // The seed is the integer whose big-endian bytes are the text and its SHA-512.
    const bytes = Buffer.concat([text, createHash('sha512').update(text).digest()]);
    let first = 0;
    while (first < bytes.length && bytes[first] === 0) first++;
    const sig = bytes.subarray(first);
    const key: number[] = [];
    for (let end = sig.length; end > 0; end -= 4) {
      let w = 0;
      for (let i = Math.max(0, end - 4); i < end; i++) w = w * 256 + sig[i]!;
      key.push(w >>> 0);
    }
    if (key.length === 0) key.push(0);
    this.initByArray(key);
  }

  private initByArray(key: number[]): void {
    const mt = this.mt;
    const N = 624;
    mt[0] = 19650218;
    for (let i = 1; i < N; i++) mt[i] = Math.imul(1812433253, mt[i - 1]! ^ (mt[i - 1]! >>> 30)) + i;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k; k--) {
      const p = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(p, 1664525)) >>> 0) + key[j]! + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k; k--) {
      const p = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(p, 1566083941)) >>> 0) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = N;
  }

  private next(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % 624]! & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** random.choice's index: getrandbits(n.bit_length()) until below n. */
  below(n: number): number {
    const k = 32 - Math.clz32(n);
    for (;;) {
      const r = this.next() >>> (32 - k);
      if (r < n) return r;
    }
  }
}

function randomPassword(length: number, chars: string[], seed: string | null): string {
  if (length > LIMITS.valueChars) throw new TemplateLimitError(`a password of ${length} characters is longer than ${LIMITS.valueChars} (the limit on a value)`);
  if (length > 0 && chars.length === 0) throw new PyError('IndexError', 'Cannot choose from an empty sequence', 'AnsibleError');
  const rng = seed === null ? null : new PythonRandom(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += chars[rng ? rng.below(chars.length) : randomInt(chars.length)];
  return out;
}

const randomSalt = (length: number) => Array.from({ length }, () => SALT_CHARS[randomInt(SALT_CHARS.length)]).join('');

/** The stored form: `password[ salt=…[ ident=…]]`, split at the last ' salt=' and the last ' ident=' after it. */
function parseContent(content: string): { password: string; salt: string | null; ident: string | null } {
  const at = content.lastIndexOf(' salt=');
  if (at < 0) return { password: content, salt: null, ident: null };
  const rest = content.slice(at + ' salt='.length);
  if (!rest) return { password: content.slice(0, at), salt: null, ident: null };
  const id = rest.lastIndexOf(' ident=');
  return id < 0 ? { password: content.slice(0, at), salt: rest, ident: null } : { password: content.slice(0, at), salt: rest.slice(0, id), ident: rest.slice(id + ' ident='.length) };
}

function formatContent(password: string, salt: string | null, encrypt: string | null, ident: string | null): string {
  if (!encrypt && !salt) return password;
  return `${password} salt=${salt!}${ident ? ` ident=${ident}` : ''}`;
}

/** Where the password file's content is, or null when there is none: a symlink only when it is trusted. */
function readable(path: string): string | null {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw ansibleError(`${path}: ${(e as Error).message}`);
  }
  if (!st.isSymbolicLink()) return path;
  const me = process.getuid?.() ?? 0;
  if (st.uid !== me && st.uid !== 0) throw ansibleError(`${path} is a symlink that belongs to another user (uid ${st.uid}): not followed`);
  try {
    statSync(path);
  } catch {
    throw ansibleError(`${path} is a symlink to nothing: not followed`);
  }
  return realpathSync(path);
}

/** Bytes with Python's bytes.rstrip() applied, as UTF-8 text. */
function readContent(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    if (fstatSync(fd).isDirectory()) throw ansibleError(`[Errno 21] Is a directory: b${strRepr(path)}`);
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(65536);
    for (let n; (n = readSync(fd, buf)) > 0; ) chunks.push(Buffer.from(buf.subarray(0, n)));
    const data = Buffer.concat(chunks);
    let end = data.length;
    while (end > 0 && [0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c].includes(data[end - 1]!)) end--;
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data.subarray(0, end));
    } catch {
      throw ansibleError(`${path}: not UTF-8 text (tend reads password files as UTF-8)`);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The content (and a newline) written to a new file in `path`'s directory, 0600 from its
 * first byte, then put at `path`: linked when creating (false when something is there
 * now), renamed over it when replacing.
 */
function writeAtomically(path: string, content: string, replace: boolean): boolean {
  const dir = dirname(path);
  // As Ansible's makedirs_safe: the missing directories above made as usual, the last one 0700.
  mkdirSync(dirname(dir), { recursive: true });
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tend-tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    try {
      writeSync(fd, Buffer.from(`${content}\n`, 'utf8'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (replace) {
      renameSync(tmp, path);
      return true;
    }
    try {
      linkSync(tmp, path);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // renamed into place
    }
  }
}

function encrypted(password: string, scheme: string, salt: string): string {
  const max = SCHEMES[scheme]!.saltSize;
  // passlib's words for a salt it refuses.
  if (!/^[./0-9A-Za-z]*$/.test(salt)) throw ansibleError(`Could not hash the secret.. invalid characters in ${scheme} salt`);
  if (salt.length > max) throw ansibleError(`Could not hash the secret.. salt too large (${scheme} requires <= ${max} chars)`);
  if (scheme === 'md5_crypt') return md5Crypt(password, salt);
  return scheme === 'sha512_crypt' ? shaCrypt('sha512', password, salt, 656000) : shaCrypt('sha256', password, salt, 535000);
}

function onePassword(term: string, keywords: Partial<Params>, options: PasswordLookupOptions): string {
  const { relpath, params } = parseTerm(term, keywords);
  const path = resolvePath(relpath, options);
  const chars = candidateChars(params.chars);
  const encrypt = params.encrypt || null;
  if (encrypt && !HASHABLE.has(encrypt)) {
    throw ansibleError(`encrypt=${encrypt}: tend's password lookup hashes with ${[...HASHABLE].join(', ')} only${encrypt === 'bcrypt' ? ' (it has no bcrypt)' : ''}`);
  }
  const devNull = path === '/dev/null';
  for (let attempt = 0; ; attempt++) {
    const at = devNull ? null : readable(path);
    let password: string;
    let salt: string | null = null;
    let changed = false;
    if (at === null) {
      password = randomPassword(params.length, chars, params.seed);
      changed = true;
    } else {
      ({ password, salt } = parseContent(readContent(at)));
    }
    if (encrypt && !salt) {
      changed = true;
      salt = randomSalt(SCHEMES[encrypt]?.saltSize ?? 8);
    }
    // As 2.14: the ident asked for replaces the stored one; with encrypt and none asked,
    // the scheme's own (bcrypt's 2b) is stored and the file is written again.
    let ident = params.ident || null;
    if (encrypt && !ident) {
      changed = true;
      ident = SCHEMES[encrypt]?.ident ?? null;
    }
    if (changed && !devNull) {
      const content = formatContent(password, salt, encrypt, ident);
      // A file that appeared since it was looked for is read, never overwritten.
      if (!writeAtomically(at ?? path, content, at !== null)) {
        if (attempt > 0) throw ansibleError(`${path}: could not be created`);
        continue;
      }
    }
    const result = encrypt ? encrypted(password, encrypt, salt!) : password;
    if (password) options.secrets?.add(password);
    if (result) options.secrets?.add(result);
    return result;
  }
}

/** The lookup: one password per term. */
export function passwordLookup(terms: unknown[], kwargs: Map<string, unknown>, _state: unknown, options: PasswordLookupOptions): string[] {
  const keywords = keywordOptions(kwargs);
  return terms.map((t) => {
    if (typeof t !== 'string') throw new PyError('AttributeError', `'${isDict(t) ? 'dict' : typeName(t)}' object has no attribute 'split'`, 'AnsibleError');
    try {
      return onePassword(t, keywords, options);
    } catch (e) {
      // A file that cannot be read or made (EACCES, ENOTDIR, …) fails the template, as in Ansible.
      if (e instanceof TemplateError) throw e;
      throw ansibleError((e as Error).message);
    }
  });
}
