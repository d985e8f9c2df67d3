// INI inventory values as Ansible reads them: through Python's ast.literal_eval, and
// as plain text when that fails. So `42` is a number, `'03#pa33w0rd'` a string without
// its quotes, `[1, 2]` a list, `{'a': 1}` a mapping, `True`/`None` a boolean and null,
// `0x1F` 31 — while `010` (a syntax error in Python 3), `yes` or `a b` stay text.
// This is the subset of Python's literal syntax that literal_eval accepts: numbers
// (with `_`, hex, octal, binary, floats), strings (quotes, escapes, r/b prefixes,
// adjacent strings joined), lists, tuples, sets, dicts, True/False/None, one unary +/-
// before a number, and comments. `\N{name}` escapes: see NAMES.
import { InputError } from '../errors.ts';

class NotLiteral extends Error {}

/** String prefixes Python 3 has for str and bytes literals (`ur` is not one). */
const PREFIX = /^(?:[rR][bB]?|[bB][rR]?|[uU])$/;
const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

/**
 * Unicode character names for `\N{…}`, as Python 3.11 (Unicode 14.0) has them, for two
 * blocks: Latin-1 Supplement (U+00A0–U+00FF) and General Punctuation (U+2000–U+206F),
 * one name a code point ('' where none is assigned), with CJK UNIFIED IDEOGRAPH-XXXX
 * computed as Python computes it. Node has no table of character names, and the whole
 * table (about 35 000 names, 1 MB) does not belong in tend: a value with any other name
 * is refused (InputError), not guessed, since tend cannot tell which value Ansible reads.
 */
const NAMES: [number, string][] = [
  [0xa0, 'NO-BREAK SPACE|INVERTED EXCLAMATION MARK|CENT SIGN|POUND SIGN|CURRENCY SIGN|YEN SIGN|BROKEN BAR|SECTION SIGN|DIAERESIS|COPYRIGHT SIGN|FEMININE ORDINAL INDICATOR|LEFT-POINTING DOUBLE ANGLE QUOTATION MARK|NOT SIGN|SOFT HYPHEN|REGISTERED SIGN|MACRON|DEGREE SIGN|PLUS-MINUS SIGN|SUPERSCRIPT TWO|SUPERSCRIPT THREE|ACUTE ACCENT|MICRO SIGN|PILCROW SIGN|MIDDLE DOT|CEDILLA|SUPERSCRIPT ONE|MASCULINE ORDINAL INDICATOR|RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK|VULGAR FRACTION ONE QUARTER|VULGAR FRACTION ONE HALF|VULGAR FRACTION THREE QUARTERS|INVERTED QUESTION MARK|LATIN CAPITAL LETTER A WITH GRAVE|LATIN CAPITAL LETTER A WITH ACUTE|LATIN CAPITAL LETTER A WITH CIRCUMFLEX|LATIN CAPITAL LETTER A WITH TILDE|LATIN CAPITAL LETTER A WITH DIAERESIS|LATIN CAPITAL LETTER A WITH RING ABOVE|LATIN CAPITAL LETTER AE|LATIN CAPITAL LETTER C WITH CEDILLA|LATIN CAPITAL LETTER E WITH GRAVE|LATIN CAPITAL LETTER E WITH ACUTE|LATIN CAPITAL LETTER E WITH CIRCUMFLEX|LATIN CAPITAL LETTER E WITH DIAERESIS|LATIN CAPITAL LETTER I WITH GRAVE|LATIN CAPITAL LETTER I WITH ACUTE|LATIN CAPITAL LETTER I WITH CIRCUMFLEX|LATIN CAPITAL LETTER I WITH DIAERESIS|LATIN CAPITAL LETTER ETH|LATIN CAPITAL LETTER N WITH TILDE|LATIN CAPITAL LETTER O WITH GRAVE|LATIN CAPITAL LETTER O WITH ACUTE|LATIN CAPITAL LETTER O WITH CIRCUMFLEX|LATIN CAPITAL LETTER O WITH TILDE|LATIN CAPITAL LETTER O WITH DIAERESIS|MULTIPLICATION SIGN|LATIN CAPITAL LETTER O WITH STROKE|LATIN CAPITAL LETTER U WITH GRAVE|LATIN CAPITAL LETTER U WITH ACUTE|LATIN CAPITAL LETTER U WITH CIRCUMFLEX|LATIN CAPITAL LETTER U WITH DIAERESIS|LATIN CAPITAL LETTER Y WITH ACUTE|LATIN CAPITAL LETTER THORN|LATIN SMALL LETTER SHARP S|LATIN SMALL LETTER A WITH GRAVE|LATIN SMALL LETTER A WITH ACUTE|LATIN SMALL LETTER A WITH CIRCUMFLEX|LATIN SMALL LETTER A WITH TILDE|LATIN SMALL LETTER A WITH DIAERESIS|LATIN SMALL LETTER A WITH RING ABOVE|LATIN SMALL LETTER AE|LATIN SMALL LETTER C WITH CEDILLA|LATIN SMALL LETTER E WITH GRAVE|LATIN SMALL LETTER E WITH ACUTE|LATIN SMALL LETTER E WITH CIRCUMFLEX|LATIN SMALL LETTER E WITH DIAERESIS|LATIN SMALL LETTER I WITH GRAVE|LATIN SMALL LETTER I WITH ACUTE|LATIN SMALL LETTER I WITH CIRCUMFLEX|LATIN SMALL LETTER I WITH DIAERESIS|LATIN SMALL LETTER ETH|LATIN SMALL LETTER N WITH TILDE|LATIN SMALL LETTER O WITH GRAVE|LATIN SMALL LETTER O WITH ACUTE|LATIN SMALL LETTER O WITH CIRCUMFLEX|LATIN SMALL LETTER O WITH TILDE|LATIN SMALL LETTER O WITH DIAERESIS|DIVISION SIGN|LATIN SMALL LETTER O WITH STROKE|LATIN SMALL LETTER U WITH GRAVE|LATIN SMALL LETTER U WITH ACUTE|LATIN SMALL LETTER U WITH CIRCUMFLEX|LATIN SMALL LETTER U WITH DIAERESIS|LATIN SMALL LETTER Y WITH ACUTE|LATIN SMALL LETTER THORN|LATIN SMALL LETTER Y WITH DIAERESIS'],
  [0x2000, 'EN QUAD|EM QUAD|EN SPACE|EM SPACE|THREE-PER-EM SPACE|FOUR-PER-EM SPACE|SIX-PER-EM SPACE|FIGURE SPACE|PUNCTUATION SPACE|THIN SPACE|HAIR SPACE|ZERO WIDTH SPACE|ZERO WIDTH NON-JOINER|ZERO WIDTH JOINER|LEFT-TO-RIGHT MARK|RIGHT-TO-LEFT MARK|HYPHEN|NON-BREAKING HYPHEN|FIGURE DASH|EN DASH|EM DASH|HORIZONTAL BAR|DOUBLE VERTICAL LINE|DOUBLE LOW LINE|LEFT SINGLE QUOTATION MARK|RIGHT SINGLE QUOTATION MARK|SINGLE LOW-9 QUOTATION MARK|SINGLE HIGH-REVERSED-9 QUOTATION MARK|LEFT DOUBLE QUOTATION MARK|RIGHT DOUBLE QUOTATION MARK|DOUBLE LOW-9 QUOTATION MARK|DOUBLE HIGH-REVERSED-9 QUOTATION MARK|DAGGER|DOUBLE DAGGER|BULLET|TRIANGULAR BULLET|ONE DOT LEADER|TWO DOT LEADER|HORIZONTAL ELLIPSIS|HYPHENATION POINT|LINE SEPARATOR|PARAGRAPH SEPARATOR|LEFT-TO-RIGHT EMBEDDING|RIGHT-TO-LEFT EMBEDDING|POP DIRECTIONAL FORMATTING|LEFT-TO-RIGHT OVERRIDE|RIGHT-TO-LEFT OVERRIDE|NARROW NO-BREAK SPACE|PER MILLE SIGN|PER TEN THOUSAND SIGN|PRIME|DOUBLE PRIME|TRIPLE PRIME|REVERSED PRIME|REVERSED DOUBLE PRIME|REVERSED TRIPLE PRIME|CARET|SINGLE LEFT-POINTING ANGLE QUOTATION MARK|SINGLE RIGHT-POINTING ANGLE QUOTATION MARK|REFERENCE MARK|DOUBLE EXCLAMATION MARK|INTERROBANG|OVERLINE|UNDERTIE|CHARACTER TIE|CARET INSERTION POINT|ASTERISM|HYPHEN BULLET|FRACTION SLASH|LEFT SQUARE BRACKET WITH QUILL|RIGHT SQUARE BRACKET WITH QUILL|DOUBLE QUESTION MARK|QUESTION EXCLAMATION MARK|EXCLAMATION QUESTION MARK|TIRONIAN SIGN ET|REVERSED PILCROW SIGN|BLACK LEFTWARDS BULLET|BLACK RIGHTWARDS BULLET|LOW ASTERISK|REVERSED SEMICOLON|CLOSE UP|TWO ASTERISKS ALIGNED VERTICALLY|COMMERCIAL MINUS SIGN|SWUNG DASH|INVERTED UNDERTIE|FLOWER PUNCTUATION MARK|THREE DOT PUNCTUATION|QUADRUPLE PRIME|FOUR DOT PUNCTUATION|FIVE DOT PUNCTUATION|TWO DOT PUNCTUATION|FOUR DOT MARK|DOTTED CROSS|TRICOLON|VERTICAL FOUR DOTS|MEDIUM MATHEMATICAL SPACE|WORD JOINER|FUNCTION APPLICATION|INVISIBLE TIMES|INVISIBLE SEPARATOR|INVISIBLE PLUS||LEFT-TO-RIGHT ISOLATE|RIGHT-TO-LEFT ISOLATE|FIRST STRONG ISOLATE|POP DIRECTIONAL ISOLATE|INHIBIT SYMMETRIC SWAPPING|ACTIVATE SYMMETRIC SWAPPING|INHIBIT ARABIC FORM SHAPING|ACTIVATE ARABIC FORM SHAPING|NATIONAL DIGIT SHAPES|NOMINAL DIGIT SHAPES'],
];
let byName: Map<string, number> | undefined;

/**
 * The character a `\N{name}` escape names (any case, as Python looks names up); NotLiteral
 * when Python has no such character, undefined when tend does not know the name.
 */
function unicodeCharacter(name: string): string | undefined {
  const upper = name.toUpperCase();
  if (upper.startsWith('CJK UNIFIED IDEOGRAPH-')) {
    // In upper case, with four or five upper-case hex digits naming an ideograph, or no
    // character at all (no other name starts so).
    if (!name.startsWith('CJK UNIFIED IDEOGRAPH-')) throw new NotLiteral();
    const hex = name.slice(22);
    const code = parseInt(hex, 16);
    if (/^[0-9A-F]{4,5}$/.test(hex) && CJK.some(([lo, hi]) => code >= lo && code <= hi)) return String.fromCodePoint(code);
    throw new NotLiteral();
  }
  if (byName === undefined) {
    byName = new Map();
    for (const [first, names] of NAMES) names.split('|').forEach((n, i) => n && byName!.set(n, first + i));
  }
  const code = byName.get(upper);
  return code === undefined ? undefined : String.fromCodePoint(code);
}
/** The code points Python 3.11 names CJK UNIFIED IDEOGRAPH-XXXX. */
const CJK: [number, number][] = [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0x20000, 0x2a6df],
  [0x2a700, 0x2b738],
  [0x2b740, 0x2b81d],
  [0x2b820, 0x2cea1],
  [0x2ceb0, 0x2ebe0],
  [0x30000, 0x3134a],
];

/**
 * Bytes (one character 0–255 each) as Python decodes them with UTF-8 and surrogateescape:
 * each byte that does not begin a valid character becomes U+DC00 + the byte.
 */
function utf8Escaped(bytes: string): string {
  const buf = Buffer.from(bytes, 'latin1');
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let out = '';
  for (let i = 0; i < buf.length; ) {
    const b = buf[i]!;
    const len = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    try {
      out += strict.decode(buf.subarray(i, i + len));
      i += len;
    } catch {
      out += String.fromCharCode(0xdc00 + b);
      i++;
    }
  }
  return out;
}

/** The value literal_eval gives for `text`, or `text` itself when it gives none. */
export function pythonValue(text: string): unknown {
  try {
    const parser = new Parser(text);
    const value = parser.expression();
    parser.end();
    if (parser.unknownName !== undefined) {
      throw new InputError(
        `${text}: tend knows the Unicode character names of U+00A0–U+00FF, U+2000–U+206F and CJK ideographs only, not '${parser.unknownName}'; write the character or its \\u escape instead`,
      );
    }
    return value;
  } catch (e) {
    if (e instanceof NotLiteral) return text;
    throw e;
  }
}

class Parser {
  private pos = 0;
  /** A `\N{…}` name tend does not know (the value is refused if it is otherwise a literal). */
  unknownName: string | undefined;
  constructor(private readonly s: string) {}

  end(): void {
    this.space();
    if (this.pos !== this.s.length) throw new NotLiteral();
  }

  expression(): unknown {
    this.space();
    const first = this.unary();
    this.space();
    // A bare tuple at the top: `1, 2`.
    if (this.peek() === ',' && this.pos < this.s.length) {
      const items = [first];
      while (this.eat(',')) {
        this.space();
        if (this.pos >= this.s.length) break;
        items.push(this.unary());
        this.space();
      }
      return items;
    }
    return first;
  }

  /** An element: literal_eval takes one sign before a number (`-5`, `-(5)`), no more (`--5`). */
  private unary(): unknown {
    this.space();
    const sign = this.peek();
    if (sign !== '-' && sign !== '+') return this.atom();
    this.pos++;
    const v = this.signed();
    return sign === '-' ? -v : v;
  }

  /** The number after a sign, in any parentheses: `5`, `(5)`, not `-5` or `(5,)`. */
  private signed(): number {
    this.space();
    if (this.eat('(')) {
      const v = this.signed();
      this.space();
      if (!this.eat(')')) throw new NotLiteral();
      return v;
    }
    if (!/[0-9.]/.test(this.peek())) throw new NotLiteral();
    return this.number();
  }

  private atom(): unknown {
    this.space();
    const c = this.peek();
    if (c === '[') return this.sequence('[', ']');
    if (c === '(') {
      const items = this.sequence('(', ')', true);
      return items;
    }
    if (c === '{') return this.braces();
    if (/[0-9.]/.test(c)) return this.number();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.pos))?.[0];
    if (word !== undefined) {
      const after = this.s[this.pos + word.length];
      if (PREFIX.test(word) && (after === "'" || after === '"')) return this.strings();
      this.pos += word.length;
      if (word === 'True') return true;
      if (word === 'False') return false;
      if (word === 'None') return null;
      throw new NotLiteral();
    }
    if (c === "'" || c === '"') return this.strings();
    throw new NotLiteral();
  }

  private sequence(open: string, close: string, tuple = false): unknown {
    this.eat(open);
    const items: unknown[] = [];
    this.space();
    let commas = 0;
    while (!this.eat(close)) {
      items.push(this.unary());
      this.space();
      if (this.eat(',')) {
        commas++;
        this.space();
        continue;
      }
      if (!this.eat(close)) throw new NotLiteral();
      break;
    }
    // `(x)` is x itself; `(x,)` and `()` are tuples (lists, as JSON shows them).
    if (tuple && items.length === 1 && commas === 0) return items[0];
    return items;
  }

  private braces(): unknown {
    this.eat('{');
    this.space();
    if (this.eat('}')) return {};
    const first = this.unary();
    this.space();
    if (this.eat(':')) {
      const out: Record<string, unknown> = Object.create(null);
      let key = first;
      for (;;) {
        const value = this.unary();
        if (key !== null && typeof key === 'object') throw new NotLiteral();
        out[String(key)] = value;
        this.space();
        if (this.eat('}')) return out;
        if (!this.eat(',')) throw new NotLiteral();
        this.space();
        if (this.eat('}')) return out;
        key = this.unary();
        this.space();
        if (!this.eat(':')) throw new NotLiteral();
      }
    }
    // A set: Ansible's to_text passes it on; JSON shows it as a list.
    const items = [first];
    while (this.eat(',')) {
      this.space();
      if (this.peek() === '}') break;
      items.push(this.unary());
      this.space();
    }
    if (!this.eat('}')) throw new NotLiteral();
    return items;
  }

  private number(): number {
    const rest = this.s.slice(this.pos);
    const m =
      /^0[xX](?:_?[0-9a-fA-F])+/.exec(rest) ??
      /^0[oO](?:_?[0-7])+/.exec(rest) ??
      /^0[bB](?:_?[01])+/.exec(rest) ??
      /^(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?[jJ]?/.exec(rest);
    if (!m || m[0] === '.') throw new NotLiteral();
    const text = m[0].replaceAll('_', '');
    this.pos += m[0].length;
    if (/[jJ]$/.test(text)) throw new NotLiteral(); // complex numbers have no JSON form
    if (/^0[xX]/.test(text)) return parseInt(text.slice(2), 16);
    if (/^0[oO]/.test(text)) return parseInt(text.slice(2), 8);
    if (/^0[bB]/.test(text)) return parseInt(text.slice(2), 2);
    // Python 3 refuses leading zeros in decimal integers (`010`), except zero itself.
    if (/^0[0-9]+$/.test(text) && !/^0+$/.test(text)) throw new NotLiteral();
    if (/^[0-9]/.test(this.s[this.pos] ?? '') || /^[A-Za-z_]/.test(this.s[this.pos] ?? '')) throw new NotLiteral();
    return Number(text);
  }

  /**
   * One or more adjacent string literals, joined: all text or all bytes (Python refuses a
   * mix). Bytes hold ASCII characters only, know no \u, \U or \N{…} escapes, and are
   * read as UTF-8 at the end, as Ansible's to_text reads them.
   */
  private strings(): string {
    let out = '';
    let bytes: boolean | undefined;
    for (;;) {
      this.space();
      const m = /^([rR][bB]?|[bB][rR]?|[uU])?('''|"""|'|")/.exec(this.s.slice(this.pos));
      if (!m) break;
      const start = this.pos;
      const isBytes = /b/i.test(m[1] ?? '');
      if (bytes !== undefined && bytes !== isBytes) throw new NotLiteral();
      bytes = isBytes;
      const raw = /r/i.test(m[1] ?? '');
      const quote = m[2]!;
      this.pos += m[0].length;
      for (;;) {
        if (this.pos >= this.s.length) throw new NotLiteral();
        if (this.s.startsWith(quote, this.pos)) {
          this.pos += quote.length;
          break;
        }
        const c = this.s[this.pos++]!;
        if (c === '\n' && quote.length === 1) throw new NotLiteral();
        if (c !== '\\') {
          out += c;
          continue;
        }
        const e = this.s[this.pos++];
        if (e === undefined) throw new NotLiteral();
        if (raw) {
          out += `\\${e}`;
          continue;
        }
        const octal = /^[0-7]{1,3}/.exec(this.s.slice(this.pos - 1))?.[0];
        if (octal !== undefined) {
          // A byte keeps the low 8 bits of a larger octal value (\777 is 0xff).
          const code = parseInt(octal, 8);
          out += String.fromCodePoint(bytes ? code % 256 : code);
          this.pos += octal.length - 1;
        } else if (e === 'x' || (!bytes && (e === 'u' || e === 'U'))) {
          const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = this.s.slice(this.pos, this.pos + len);
          // Python refuses a \U past U+10FFFF (a SyntaxError: the value stays text).
          if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex) || parseInt(hex, 16) > 0x10ffff) throw new NotLiteral();
          out += String.fromCodePoint(parseInt(hex, 16));
          this.pos += len;
        } else if (e === 'N' && !bytes) {
          const name = /^\{([^}]*)\}/.exec(this.s.slice(this.pos))?.[1];
          if (name === undefined || !/^[A-Za-z0-9 -]+$/.test(name)) throw new NotLiteral();
          const char = unicodeCharacter(name);
          if (char === undefined) this.unknownName ??= name;
          out += char ?? '';
          this.pos += name.length + 2;
        } else if (e in SIMPLE) out += SIMPLE[e];
        else out += `\\${e}`;
      }
      if (bytes && /[^\0-\x7f]/.test(this.s.slice(start, this.pos))) throw new NotLiteral();
    }
    if (bytes === undefined) throw new NotLiteral();
    return bytes ? utf8Escaped(out) : out;
  }

  private space(): void {
    for (;;) {
      while (this.pos < this.s.length && /[ \t\f]/.test(this.s[this.pos]!)) this.pos++;
      if (this.s[this.pos] === '#') {
        while (this.pos < this.s.length && this.s[this.pos] !== '\n') this.pos++;
        continue;
      }
      return;
    }
  }

  private peek(): string {
    return this.s[this.pos] ?? '';
  }

  private eat(c: string): boolean {
    if (this.s[this.pos] === c) {
      this.pos++;
      return true;
    }
    return false;
  }
}
