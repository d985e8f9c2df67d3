// Python's `re`, as Ansible's lineinfile, blockinfile and replace use it, run by
// JavaScript's RegExp. A pattern is parsed as Python 3.11's parser reads it (the same
// errors for what Python refuses) and written again in JavaScript with every construct
// whose meaning differs spelt out: `.`, `^`, `$`, `\Z`, `\A`, `\b`, `\d`, `\s`, `\w` under
// Python's flags (bytes patterns are ASCII; str patterns Unicode), `{,n}`, `(?P<name>)`,
// `(?P=name)`, `(?#…)`, verbose mode, scoped `(?s:…)`, `(?m:…)`, `(?x:…)`, `(?a:…)`.
// What has no faithful translation is refused with the construct named: possessive
// quantifiers, atomic groups, conditionals, a scoped `(?i:…)`, `\N{…}`, the locale
// flag, a group that may be skipped yet is referred back to or repeated (Python keeps an
// earlier repetition's capture where JavaScript forgets it).
//
// Bytes patterns (lineinfile, blockinfile) match byte strings: text is carried as a
// JavaScript string of one character per byte (latin1 of the UTF-8), so `.` is one byte
// as in Python. Replacement templates (`\1`, `\g<name>`, `\n`) are expanded as Python's
// `match.expand` and `re.sub` do.

export class PythonRegexError extends Error {}

export type PyMode = 'bytes' | 'str';

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  a: boolean;
}

export interface PyRegex {
  /** The pattern as written. */
  pattern: string;
  mode: PyMode;
  /** The translation: run with flags `gu` (`giu` under Python's IGNORECASE). */
  regexp: RegExp;
  /** Capturing groups (group 0 not counted). */
  groups: number;
  names: ReadonlyMap<string, number>;
  /** Python's flags after the pattern's own inline flags. */
  flags: Readonly<Flags>;
  /** The most a match can hold (Infinity when unbounded). */
  maxWidth: number;
}

/** A text's UTF-8 bytes as a string of one character per byte. */
export const toBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
/** Bytes (one character per byte) as text; bytes that are not UTF-8 show as U+FFFD. */
export const fromBytes = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('utf8');

const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const WHITESPACE = ' \t\n\r\v\f';
const DIGITS = '0123456789';
const OCT = '01234567';
const HEX = '0123456789abcdefABCDEF';
const isAsciiLetter = (c: string) => /^[A-Za-z]$/.test(c);
/** A token that is a backslash and the character after it (a character may be two UTF-16 units). */
const isEscape = (t: string) => t.length > 1 && t.startsWith('\\');

/** One code point as JavaScript regexp source (inside or outside a class). */
function lit(cp: number, inClass = false): string {
  const c = String.fromCodePoint(cp);
  if (SYNTAX.has(c) || (inClass && c === '-')) return `\\${c}`;
  if (cp >= 0x20 && cp < 0x7f) return c;
  return `\\u{${cp.toString(16)}}`;
}

const ANY = '[\\s\\S]';
// The translations never use the m flag: ^ and $ are the text's two ends.
const START = '^';
const END = '$';
const PY_UNICODE_SPACE = ' \\t\\n\\r\\f\\v\\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_ASCII_SPACE = ' \\t\\n\\r\\f\\v';

/** Class-body text of a category, or null for a negated one (which needs a class of its own). */
function categoryBody(c: string, ascii: boolean): string {
  switch (c.toLowerCase()) {
    case 'd':
      return ascii ? '0-9' : '\\p{Nd}';
    case 'w':
      return ascii ? 'A-Za-z0-9_' : '\\p{L}\\p{N}_';
    default:
      return ascii ? PY_ASCII_SPACE : PY_UNICODE_SPACE;
  }
}

function category(c: string, ascii: boolean): string {
  const body = categoryBody(c, ascii);
  return c === c.toLowerCase() ? `[${body}]` : `[^${body}]`;
}

interface Cap {
  n: number;
  /** May not take part in a match of the item that holds it. */
  optional: boolean;
}

interface Item {
  js: string;
  kind: 'atom' | 'at' | 'repeat' | 'assert' | 'group';
  min: number;
  max: number;
  caps: Cap[];
  hasBackref: boolean;
}

class Parser {
  readonly chars: string[];
  pos = 0;
  groups = 0;
  readonly names = new Map<string, number>();
  readonly closed = new Set<number>();
  readonly backrefs: number[] = [];
  flags: Flags;
  inLookbehind = 0;

  constructor(
    readonly pattern: string,
    readonly mode: PyMode,
    base: Partial<Flags>,
  ) {
    this.chars = Array.from(pattern);
    this.flags = { i: false, m: false, s: false, x: false, a: false, ...base };
  }

  /** Python's complaint, at the position Python names (where the construct starts). */
  fail(message: string, at: number | null = this.pos): never {
    throw new PythonRegexError(at === null ? message : `${message} at position ${at}`);
  }

  refuse(construct: string): never {
    throw new PythonRegexError(`${construct} (at position ${this.pos}) has no faithful translation to tend's regular expressions`);
  }

  peek(k = 0): string | undefined {
    return this.chars[this.pos + k];
  }

  /** Python's tokens: a backslash and the character after it are one. */
  next(): string | undefined {
    const c = this.chars[this.pos];
    if (c === undefined) return undefined;
    if (c === '\\') {
      const d = this.chars[this.pos + 1];
      if (d === undefined) this.fail('bad escape (end of pattern)');
      this.pos += 2;
      return c + d;
    }
    this.pos += 1;
    return c;
  }

  get ascii(): boolean {
    return this.mode === 'bytes' || this.flags.a;
  }

  /**
   * Python folds only ASCII letters in a bytes pattern, where JavaScript's i flag would
   * fold latin1 letters too: so a bytes pattern is run without the i flag, its letters
   * written as both cases.
   */
  get foldAscii(): boolean {
    return this.mode === 'bytes' && this.flags.i;
  }

  /** A code point and, under foldAscii, its other case, as class members. */
  members(cp: number): string {
    const c = String.fromCodePoint(cp);
    if (this.foldAscii && /^[A-Za-z]$/.test(c)) return lit(c.toLowerCase().codePointAt(0)!, true) + lit(c.toUpperCase().codePointAt(0)!, true);
    return lit(cp, true);
  }

  /** A range and, under foldAscii, the other case of its letters, as class members. */
  rangeMembers(lo: number, hi: number): string {
    let out = `${lit(lo, true)}-${lit(hi, true)}`;
    if (!this.foldAscii) return out;
    const overlap = (a: number, b: number, shift: number) => {
      const [l, h] = [Math.max(lo, a), Math.min(hi, b)];
      if (l <= h) out += `${lit(l + shift, true)}-${lit(h + shift, true)}`;
    };
    overlap(0x61, 0x7a, -0x20);
    overlap(0x41, 0x5a, 0x20);
    return out;
  }

  maxWidth = Infinity;

  parse(): string {
    const js = this.alternation(true);
    this.maxWidth = js.max;
    if (this.pos < this.chars.length) this.fail('unbalanced parenthesis');
    for (const n of this.backrefs) if (this.optionalTop.has(n)) this.refuse(`a back-reference to group ${n}, which may not take part in the match`);
    return js.js;
  }

  readonly optionalTop = new Set<number>();

  alternation(top = false): Item {
    const branches: Item[][] = [this.sequence(top)];
    while (this.peek() === '|') {
      this.pos += 1;
      branches.push(this.sequence(false));
    }
    const joined = branches.map((b) => b.map((i) => i.js).join('')).join('|');
    const width = (items: Item[]) => items.reduce((w, i) => ({ min: w.min + i.min, max: w.max + i.max }), { min: 0, max: 0 });
    const widths = branches.map(width);
    const caps = branches.flatMap((b) => b.flatMap((i) => i.caps.map((c) => ({ n: c.n, optional: c.optional || branches.length > 1 }))));
    const item: Item = {
      js: branches.length > 1 ? joined : joined,
      kind: 'group',
      min: Math.min(...widths.map((w) => w.min)),
      max: Math.max(...widths.map((w) => w.max)),
      caps,
      hasBackref: branches.some((b) => b.some((i) => i.hasBackref)),
    };
    if (top) for (const c of caps) if (c.optional) this.optionalTop.add(c.n);
    return item;
  }

  sequence(first: boolean): Item[] {
    const items: Item[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') return items;
      if (this.flags.x && c !== '\\') {
        if (WHITESPACE.includes(c)) {
          this.pos += 1;
          continue;
        }
        if (c === '#') {
          while (this.peek() !== undefined && this.peek() !== '\n') this.pos += 1;
          continue;
        }
      }
      if (c === '*' || c === '+' || c === '?' || (c === '{' && this.quantifierAhead())) {
        this.quantify(items);
        continue;
      }
      const item = this.atom(first && items.length === 0);
      if (item) items.push(item);
    }
  }

  /** `{m,n}` where the text is one (else `{` is a literal, as Python reads it). */
  quantifierAhead(): boolean {
    let k = this.pos + 1;
    if (this.chars[k] === '}') return false;
    while (this.chars[k] !== undefined && DIGITS.includes(this.chars[k]!)) k += 1;
    if (this.chars[k] === ',') {
      k += 1;
      while (this.chars[k] !== undefined && DIGITS.includes(this.chars[k]!)) k += 1;
    }
    return this.chars[k] === '}';
  }

  quantify(items: Item[]): void {
    const here = this.pos;
    const c = this.next()!;
    let min = 0;
    let max = Infinity;
    let text: string;
    if (c === '?') [min, max, text] = [0, 1, '?'];
    else if (c === '*') text = '*';
    else if (c === '+') [min, text] = [1, '+'];
    else {
      let lo = '';
      let hi = '';
      while (DIGITS.includes(this.peek() ?? 'x')) lo += this.next();
      let comma = false;
      if (this.peek() === ',') {
        comma = true;
        this.pos += 1;
        while (DIGITS.includes(this.peek() ?? 'x')) hi += this.next();
      } else hi = lo;
      this.pos += 1; // }
      min = lo === '' ? 0 : Number(lo);
      max = hi === '' ? Infinity : Number(hi);
      if (min > 0xffffffff - 1 || (max !== Infinity && max > 0xffffffff - 1)) this.fail('the repetition number is too large');
      if (max < min) this.fail('min repeat greater than max repeat');
      text = comma ? `{${min},${max === Infinity ? '' : max}}` : `{${min}}`;
    }
    const last = items.at(-1);
    if (!last || last.kind === 'at') this.fail('nothing to repeat', here);
    if (last.kind === 'repeat') this.fail('multiple repeat', here);
    if (this.peek() === '?') {
      this.pos += 1;
      text += '?';
    } else if (this.peek() === '+') this.refuse('a possessive quantifier');
    if (max > 1 && last.caps.some((k) => k.optional)) {
      this.refuse('a repeated group holding a group that may be skipped (Python keeps the capture of an earlier repetition, JavaScript forgets it)');
    }
    if (max > min && last.min === 0 && last.caps.length > 0) {
      this.refuse('a repeated group that can match empty text (Python records one more, empty, repetition; JavaScript does not)');
    }
        const body = last.kind === 'atom' ? last.js : `(?:${last.js})`;
    items[items.length - 1] = {
      js: body + text,
      kind: 'repeat',
      min: last.min * min,
      max: max === 0 ? 0 : last.max * max,
      caps: last.caps.map((k) => ({ n: k.n, optional: k.optional || min === 0 })),
      hasBackref: last.hasBackref,
    };
  }

  at(js: string): Item {
    return { js, kind: 'at', min: 0, max: 0, caps: [], hasBackref: false };
  }

  one(js: string): Item {
    return { js, kind: 'atom', min: 1, max: 1, caps: [], hasBackref: false };
  }

  literal(cp: number): Item {
    const both = this.members(cp);
    return this.one(both.length > lit(cp, true).length ? `[${both}]` : lit(cp));
  }

  atom(first: boolean): Item | null {
    const t = this.next()!;
    if (isEscape(t)) return this.escape(t);
    switch (t) {
      case '.':
        return this.one(this.flags.s ? ANY : '[^\\n]');
      case '^':
        return this.at(this.flags.m ? `(?:${START}|(?<=\\n))` : START);
      case '$':
        return this.at(this.flags.m ? `(?=\\n|${END})` : `(?=\\n?${END})`);
      case '[':
        return this.charClass();
      case '(':
        return this.group(first);
      default:
        return this.literal(t.codePointAt(0)!);
    }
  }

  escape(t: string): Item {
    const c = t.slice(1);
    const at = this.pos - 2;
    const word = this.ascii ? '[A-Za-z0-9_]' : '[\\p{L}\\p{N}_]';
    switch (c) {
      case 'A':
        return this.at(START);
      case 'Z':
        return this.at(END);
      case 'b':
        return this.at(`(?:(?<=${word})(?!${word})|(?<!${word})(?=${word}))`);
      case 'B':
        // Python's \B never matches in an empty string.
        return this.at(`(?:(?<=${word})(?=${word})|(?<!${word})(?!${word})(?=[\\s\\S]|(?<=[\\s\\S])))`);
      case 'd':
      case 'D':
      case 's':
      case 'S':
      case 'w':
      case 'W':
        return this.one(category(c, this.ascii));
    }
    if (DIGITS.includes(c) && c !== '0') {
      // A back-reference, or three octal digits.
      let digits = c;
      if (DIGITS.includes(this.peek() ?? 'x')) {
        digits += this.next();
        if (OCT.includes(digits[0]!) && OCT.includes(digits[1]!) && OCT.includes(this.peek() ?? 'x')) {
          digits += this.next();
          const v = parseInt(digits, 8);
          if (v > 0o377) this.fail(`octal escape value \\${digits} outside of range 0-0o377`);
          return this.literal(v);
        }
      }
      const n = Number(digits);
      if (n > this.groups) this.fail(`invalid group reference ${n}`, at + 1);
      if (!this.closed.has(n)) this.fail('cannot refer to an open group', at);
      return this.backref(n);
    }
    const cp = this.escapedCodePoint(t, false, at);
    return this.literal(cp);
  }

  backref(n: number): Item {
    if (!this.closed.has(n)) this.fail('cannot refer to an open group');
    if (this.inLookbehind > 0) this.refuse('a back-reference inside a look-behind');
    if (this.foldAscii) this.refuse('a back-reference under IGNORECASE in a bytes pattern');
    this.backrefs.push(n);
    return { js: `(?:\\${n})`, kind: 'atom', min: 0, max: Infinity, caps: [], hasBackref: true };
  }

  /** The code point of a literal escape (shared by classes and the rest). */
  escapedCodePoint(t: string, inClass: boolean, at = this.pos - 2): number {
    const c = t.slice(1);
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
    if (inClass && c === 'b') return 8;
    if (simple[c] !== undefined) return simple[c]!;
    const hex = (n: number) => {
      let h = '';
      while (h.length < n && HEX.includes(this.peek() ?? 'x')) h += this.next();
      if (h.length !== n) this.fail(`incomplete escape \\${c}${h}`);
      return parseInt(h, 16);
    };
    if (c === 'x') return hex(2);
    if (c === 'u' && this.mode === 'str') return hex(4);
    if (c === 'U' && this.mode === 'str') {
      const v = hex(8);
      if (v > 0x10ffff) this.fail('bad escape');
      return v;
    }
    if (c === 'N' && this.mode === 'str') this.refuse('a named character (\\N{…})');
    if (c === '0' || (inClass && OCT.includes(c))) {
      let digits = c;
      while (digits.length < 3 && OCT.includes(this.peek() ?? 'x')) digits += this.next();
      const v = parseInt(digits, 8);
      if (v > 0o377) this.fail(`octal escape value \\${digits} outside of range 0-0o377`);
      return v;
    }
    if (DIGITS.includes(c) || isAsciiLetter(c)) this.fail(`bad escape ${t}`, at);
    return c.codePointAt(0)!;
  }

  charClass(): Item {
    const start = this.pos - 1;
    const negate = this.peek() === '^';
    if (negate) this.pos += 1;
    const body: string[] = [];
    const negated: string[] = [];
    let count = 0;
    for (;;) {
      const itemAt = this.pos;
      const t = this.next();
      if (t === undefined) this.fail('unterminated character set', start);
      if (t === ']' && count > 0) break;
      count += 1;
      let lo: number | string;
      if (isEscape(t)) {
        const c = t.slice(1);
        lo = 'dDsSwW'.includes(c) ? `\\${c}` : this.escapedCodePoint(t, true);
      } else lo = t.codePointAt(0)!;
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
        this.pos += 1;
        const u = this.next()!;
        const hi = isEscape(u) ? (u.length === 2 && 'dDsSwW'.includes(u[1]!) ? `\\${u[1]}` : this.escapedCodePoint(u, true)) : u.codePointAt(0)!;
        if (typeof lo !== 'number' || typeof hi !== 'number' || hi < lo) this.fail(`bad character range ${t}-${u}`, itemAt);
        body.push(this.rangeMembers(lo, hi));
        continue;
      }
      if (typeof lo === 'number') {
        body.push(this.members(lo));
      } else if (lo === lo.toLowerCase()) body.push(categoryBody(lo[1]!, this.ascii));
      else if (lo[1] === 'D' && !this.ascii) body.push('\\P{Nd}');
      else negated.push(category(lo[1]!, this.ascii));
    }
    const plain = body.length > 0 ? `[${body.join('')}]` : '';
    if (negated.length === 0) return this.one(negate ? `[^${body.join('')}]` : plain);
    const union = [plain, ...negated].filter((x) => x !== '').join('|');
    return this.one(negate ? `(?:(?!${union})${ANY})` : `(?:${union})`);
  }

  group(first: boolean): Item | null {
    const start = this.pos - 1;
    if (this.peek() !== '?') return this.capture(null, start);
    this.pos += 1;
    const c = this.next();
    if (c === undefined) this.fail('unexpected end of pattern');
    if (c === 'P') {
      if (this.peek() === '<') {
        this.pos += 1;
        return this.capture(this.groupName('>'), start);
      }
      if (this.peek() === '=') {
        this.pos += 1;
        const name = this.groupName(')');
        const n = this.names.get(name);
        if (n === undefined) this.fail(`unknown group name '${name}'`);
        return this.backref(n);
      }
      this.fail(`unknown extension ?P${this.peek() ?? ''}`);
    }
    if (c === ':') return this.nonCapturing({}, start);
    if (c === '#') {
      for (;;) {
        const d = this.chars[this.pos];
        if (d === undefined) this.fail('missing ), unterminated comment');
        this.pos += 1;
        if (d === ')') return null;
      }
    }
    if (c === '=' || c === '!' || c === '<') {
      let kind = c;
      if (c === '<') {
        const d = this.next();
        if (d !== '=' && d !== '!') this.fail(`unknown extension ?<${d ?? ''}`);
        kind = `<${d}`;
      }
      if (kind.startsWith('<')) this.inLookbehind += 1;
      const body = this.alternation();
      if (kind.startsWith('<')) {
        this.inLookbehind -= 1;
        if (body.min !== body.max) this.fail('look-behind requires fixed-width pattern', null);
      }
      this.close(start);
      return { js: `(?${kind}${body.js})`, kind: 'assert', min: 0, max: 0, caps: body.caps.map((k) => ({ n: k.n, optional: true })), hasBackref: body.hasBackref };
    }
    if (c === '(') this.refuse('a conditional group (?(…)…)');
    if (c === '>') this.refuse('an atomic group (?>…)');
    if ('aiLmsxtu-'.includes(c)) return this.inlineFlags(c, first, start);
    this.fail(`unknown extension ?${c}`);
  }

  groupName(end: string): string {
    let name = '';
    for (;;) {
      const d = this.chars[this.pos];
      if (d === undefined) this.fail(name === '' ? 'missing group name' : `missing ${end}, unterminated name`);
      this.pos += 1;
      if (d === end) break;
      name += d;
    }
    if (name === '') this.fail('missing group name');
    if (!/^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name)) this.fail(`bad character in group name '${name}'`);
    if (this.mode === 'bytes' && !/^[A-Za-z0-9_]+$/.test(name)) this.refuse(`the non-ASCII group name '${name}' in a bytes pattern`);
    return name;
  }

  capture(name: string | null, start: number): Item {
    const n = ++this.groups;
    if (name !== null) {
      if (this.names.has(name)) this.fail(`redefinition of group name '${name}' as group ${n}; was group ${this.names.get(name)}`, this.pos - name.length - 1);
      this.names.set(name, n);
    }
    const body = this.alternation();
    this.close(start);
    this.closed.add(n);
    return {
      js: name === null ? `(${body.js})` : `(?<${name}>${body.js})`,
      kind: 'group',
      min: body.min,
      max: body.max,
      caps: [{ n, optional: false }, ...body.caps],
      hasBackref: body.hasBackref,
    };
  }

  close(start: number): void {
    if (this.peek() !== ')') {
      this.pos = start;
      this.fail('missing ), unterminated subpattern');
    }
    this.pos += 1;
  }

  nonCapturing(change: Partial<Flags>, start: number): Item {
    const saved = this.flags;
    this.flags = { ...saved, ...change };
    const body = this.alternation();
    this.flags = saved;
    this.close(start);
    return { ...body, js: `(?:${body.js})`, kind: 'group' };
  }

  inlineFlags(c: string, first: boolean, start: number): Item | null {
    const on = new Set<string>();
    const off = new Set<string>();
    let ch: string | undefined = c;
    const check = (f: string) => {
      if (f === 'L') {
        if (this.mode === 'str') this.fail("bad inline flags: cannot use 'L' flag with a str pattern");
        this.refuse('the LOCALE flag (?L)');
      }
      if (f === 'u' && this.mode === 'bytes') this.fail("bad inline flags: cannot use 'u' flag with a bytes pattern");
      if (f === 't') this.refuse('the TEMPLATE flag (?t)');
    };
    if (ch !== '-') {
      for (;;) {
        check(ch!);
        on.add(ch!);
        if (on.has('a') && on.has('u')) this.fail("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
        ch = this.next();
        if (ch === undefined) this.fail('missing -, : or )');
        if (ch === ')' || ch === '-' || ch === ':') break;
        if (!'aiLmsxtu'.includes(ch)) this.fail(/\p{L}/u.test(ch) ? 'unknown flag' : 'missing -, : or )');
      }
    }
    if (ch === ')') {
      if (!first) this.fail('global flags not at the start of the expression', start);
      if (on.has('a') && this.mode === 'str') this.flags.a = true;
      for (const f of 'imsx') if (on.has(f)) this.flags[f as keyof Flags] = true;
      return null;
    }
    if (ch === '-') {
      ch = this.next();
      if (ch === undefined) this.fail('missing flag');
      if (!'aiLmsxtu'.includes(ch)) this.fail(/\p{L}/u.test(ch) ? 'unknown flag' : 'missing flag');
      for (;;) {
        if ('aLu'.includes(ch!)) this.fail("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
        if (ch === 't') this.fail('bad inline flags: cannot turn off global flag');
        off.add(ch!);
        ch = this.next();
        if (ch === undefined) this.fail('missing :');
        if (ch === ':') break;
        if (!'aiLmsxtu'.includes(ch)) this.fail(/\p{L}/u.test(ch) ? 'unknown flag' : 'missing :');
      }
    }
    for (const f of on) if (off.has(f)) this.fail('bad inline flags: flag turned on and off');
    if (on.has('t')) this.fail('bad inline flags: cannot turn on global flag');
    const change: Partial<Flags> = {};
    for (const f of 'msx') {
      if (on.has(f)) change[f as 'm' | 's' | 'x'] = true;
      if (off.has(f)) change[f as 'm' | 's' | 'x'] = false;
    }
    if (on.has('a')) change.a = true;
    if (on.has('u')) change.a = false;
    if ((on.has('i') && !this.flags.i) || (off.has('i') && this.flags.i)) this.refuse('a scoped case-insensitivity flag (?i:…) or (?-i:…)');
    return this.nonCapturing(change, start);
  }
}

/**
 * Compiles a Python pattern. `mode` is `bytes` for patterns Ansible compiles from bytes
 * (lineinfile, blockinfile: the pattern is the UTF-8 of `pattern`), `str` for replace.
 * Throws PythonRegexError with Python's own complaint, or the construct tend refuses.
 */
export function compilePython(pattern: string, mode: PyMode, base: { multiline?: boolean; dotall?: boolean } = {}): PyRegex {
  const source = mode === 'bytes' ? toBytes(pattern) : pattern;
  const parser = new Parser(source, mode, { m: base.multiline ?? false, s: base.dotall ?? false });
  const js = parser.parse();
  let regexp: RegExp;
  try {
    regexp = new RegExp(js, parser.flags.i && mode === 'str' ? 'giu' : 'gu');
  } catch (e) {
    throw new PythonRegexError(`cannot be translated (${e instanceof Error ? e.message : String(e)})`);
  }
  return { pattern, mode, regexp, groups: parser.groups, names: parser.names, flags: { ...parser.flags }, maxWidth: parser.maxWidth };
}

/** The message of why a pattern cannot be used, or null when it can. */
export function pythonRegexProblem(pattern: string, mode: PyMode, base: { multiline?: boolean; dotall?: boolean } = {}): string | null {
  try {
    compilePython(pattern, mode, base);
    return null;
  } catch (e) {
    if (e instanceof PythonRegexError) return e.message;
    throw e;
  }
}

/** `re.search` from `from`: the first match, or null. */
export function search(re: PyRegex, subject: string, from = 0): RegExpExecArray | null {
  re.regexp.lastIndex = from;
  for (;;) {
    const m = re.regexp.exec(subject);
    // V8 may try a lookahead between the two halves of a surrogate pair, even with the
    // u flag; Python's str has no such place.
    if (m && re.mode === 'str' && isLowSurrogate(subject, m.index) && isHighSurrogate(subject, m.index - 1)) {
      re.regexp.lastIndex = m.index + 1;
      continue;
    }
    return m;
  }
}

const isHighSurrogate = (s: string, i: number) => i >= 0 && s.charCodeAt(i) >= 0xd800 && s.charCodeAt(i) <= 0xdbff;
const isLowSurrogate = (s: string, i: number) => s.charCodeAt(i) >= 0xdc00 && s.charCodeAt(i) <= 0xdfff;

type TemplatePart = string | number;

/**
 * A replacement template as Python's parser reads it: literals (escapes such as `\n`
 * made their characters) and group numbers. Text in `bytes` mode is one character per byte.
 */
export function parseTemplate(template: string, re: PyRegex, encoded = false): TemplatePart[] {
  const chars = Array.from(re.mode === 'bytes' && !encoded ? toBytes(template) : template);
  const parts: TemplatePart[] = [];
  let literal = '';
  const group = (n: number) => {
    if (n > re.groups) throw new PythonRegexError(`invalid group reference ${n} in the replacement ${JSON.stringify(template)}`);
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(n);
  };
  const ESC: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c !== '\\') {
      literal += c;
      continue;
    }
    const d = chars[++i];
    if (d === undefined) throw new PythonRegexError(`bad escape (end of pattern) in the replacement ${JSON.stringify(template)}`);
    if (d === 'g') {
      if (chars[i + 1] !== '<') throw new PythonRegexError(`missing < after \\g in the replacement ${JSON.stringify(template)}`);
      const close = chars.indexOf('>', i + 2);
      if (close < 0) throw new PythonRegexError(`missing >, unterminated name in the replacement ${JSON.stringify(template)}`);
      const name = chars.slice(i + 2, close).join('');
      i = close;
      if (name === '') throw new PythonRegexError(`missing group name in the replacement ${JSON.stringify(template)}`);
      if (/^[0-9]+$/.test(name)) group(Number(name));
      else if (/^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name)) {
        const n = re.names.get(name);
        if (n === undefined) throw new PythonRegexError(`unknown group name '${name}' in the replacement ${JSON.stringify(template)}`);
        group(n);
      } else throw new PythonRegexError(`bad character in group name '${name}' in the replacement ${JSON.stringify(template)}`);
    } else if (d === '0') {
      let digits = '0';
      while (digits.length < 3 && OCT.includes(chars[i + 1] ?? 'x')) digits += chars[++i];
      literal += String.fromCharCode(parseInt(digits, 8) & 0xff);
    } else if (DIGITS.includes(d)) {
      let digits = d;
      if (DIGITS.includes(chars[i + 1] ?? 'x')) {
        digits += chars[++i];
        if (OCT.includes(d) && OCT.includes(digits[1]!) && OCT.includes(chars[i + 1] ?? 'x')) {
          digits += chars[++i];
          const v = parseInt(digits, 8);
          if (v > 0o377) throw new PythonRegexError(`octal escape value \\${digits} outside of range 0-0o377 in the replacement ${JSON.stringify(template)}`);
          literal += String.fromCharCode(v);
          continue;
        }
      }
      group(Number(digits));
    } else if (ESC[d] !== undefined) literal += ESC[d];
    else if (isAsciiLetter(d)) throw new PythonRegexError(`bad escape \\${d} in the replacement ${JSON.stringify(template)}`);
    else literal += `\\${d}`;
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

/** `match.expand(template)`: a group that took no part is empty. */
export function expand(parts: readonly TemplatePart[], match: RegExpExecArray): string {
  return parts.map((p) => (typeof p === 'number' ? (match[p] ?? '') : p)).join('');
}

/**
 * A match at `at` that is not empty, or null: what Python's search looks for at the place
 * of an empty match (it must advance). Rare enough that a regexp made for the place serves.
 */
function nonEmptyAt(re: PyRegex, subject: string, at: number): RegExpExecArray | null {
  if (re.maxWidth === 0) return null;
  const before = re.mode === 'str' ? Array.from(subject.slice(0, at)).length : at;
  const y = new RegExp(`(?:${re.regexp.source})(?<!^[\\s\\S]{${before}})`, re.regexp.flags.replace('g', 'y'));
  y.lastIndex = at;
  return y.exec(subject);
}

const charLength = (re: PyRegex, s: string, at: number) => (re.mode === 'str' && (s.codePointAt(at) ?? 0) > 0xffff ? 2 : 1);

/**
 * `re.subn(pattern, template, subject)`: the new text and how many replacements were made.
 * `encoded`: a bytes-mode template already one character per byte (not UTF-8 to encode).
 */
export function subn(re: PyRegex, template: string, subject: string, encoded = false): [string, number] {
  const parts = parseTemplate(template, re, encoded);
  let out = '';
  let at = 0;
  let count = 0;
  let pos = 0;
  let mustAdvance = false;
  while (pos <= subject.length) {
    let m: RegExpExecArray | null;
    if (mustAdvance) {
      // After an empty match, not another one at the same place (Python 3.7+: an empty
      // match right after a non-empty one is fine).
      m = nonEmptyAt(re, subject, pos);
      if (!m && pos < subject.length) m = search(re, subject, pos + charLength(re, subject, pos));
    } else m = search(re, subject, pos);
    if (!m) break;
    out += subject.slice(at, m.index) + expand(parts, m);
    count += 1;
    at = m.index + m[0].length;
    pos = at;
    mustAdvance = m[0].length === 0;
  }
  return [out + subject.slice(at), count];
}
