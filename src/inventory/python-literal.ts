// INI inventory values as Ansible reads them: through Python's ast.literal_eval, and
// as plain text when that fails. So `42` is a number, `'03#pa33w0rd'` a string without
// its quotes, `[1, 2]` a list, `{'a': 1}` a mapping, `True`/`None` a boolean and null,
// `0x1F` 31 — while `010` (a syntax error in Python 3), `yes` or `a b` stay text.
// This is the subset of Python's literal syntax that literal_eval accepts: numbers
// (with `_`, hex, octal, binary, floats), strings (quotes, escapes, r/b prefixes,
// adjacent strings joined), lists, tuples, sets, dicts, True/False/None, unary +/-,
// and comments.

class NotLiteral extends Error {}

/** The value literal_eval gives for `text`, or `text` itself when it gives none. */
export function pythonValue(text: string): unknown {
  try {
    const parser = new Parser(text);
    const value = parser.expression();
    parser.end();
    return value;
  } catch (e) {
    if (e instanceof NotLiteral) return text;
    throw e;
  }
}

class Parser {
  private pos = 0;
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

  private unary(): unknown {
    this.space();
    if (this.eat('-')) {
      const v = this.unary();
      if (typeof v !== 'number') throw new NotLiteral();
      return -v;
    }
    if (this.eat('+')) {
      const v = this.unary();
      if (typeof v !== 'number') throw new NotLiteral();
      return v;
    }
    return this.atom();
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
      if (/^[rRbBuU]{1,2}$/.test(word) && (after === "'" || after === '"')) return this.strings();
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

  /** One or more adjacent string literals, joined. */
  private strings(): string {
    let out = '';
    let any = false;
    for (;;) {
      this.space();
      const m = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(this.s.slice(this.pos));
      if (!m) break;
      any = true;
      const raw = /r/i.test(m[1]!);
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
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };
        if (e === 'x' || e === 'u' || e === 'U') {
          const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = this.s.slice(this.pos, this.pos + len);
          if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new NotLiteral();
          out += String.fromCodePoint(parseInt(hex, 16));
          this.pos += len;
        } else if (e in simple) out += simple[e];
        else out += `\\${e}`;
      }
    }
    if (!any) throw new NotLiteral();
    return out;
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
