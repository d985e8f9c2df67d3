// yaml.dump as Ansible's to_yaml / to_nice_yaml call it — with libyaml's C emitter, which
// Ansible's dumper uses when PyYAML has it, as Debian's does (SafeDumper rules,
// allow_unicode, sorted keys) — reproduced for its output to be byte-equal: indentless
// sequences under mapping keys, `-   ` items at indent 4, flow style for collections of
// scalars when default_flow_style is None, quoting by YAML 1.1's implicit types, folding
// of long plain and single-quoted scalars at the width (80).
import { PyError, typeError } from './errors.ts';
import { compare, floatRepr, isDict, isFloat, num, PyFloat, typeName, Undefined } from './values.ts';

export interface DumpOptions {
  indent: number;
  /** PyYAML's default_flow_style: true, false, or null (flow for collections of scalars only). */
  flowDefault: boolean | null;
  width: number;
  sortKeys: boolean;
  explicitStart: boolean;
}

const RESOLVERS = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];

type Scalar = { text: string; plainOk: boolean; kind: 'str' | 'other' };
type Analysis = { empty: boolean; multiline: boolean; flowPlain: boolean; blockPlain: boolean; singleQuoted: boolean };

const isSpecialChar = (ch: string) => {
  const c = ch.codePointAt(0)!;
  if (ch === '\n' || (c >= 0x20 && c <= 0x7e)) return false;
  // libyaml's printable set: no NEL (0x85), nothing past the BMP (double-quoted, escaped).
  return !((c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd)) || c === 0xfeff;
};

function analyze(s: string): Analysis {
  if (s === '') return { empty: true, multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true };
  let flowInd = false;
  let blockInd = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  if (s.startsWith('---') || s.startsWith('...')) flowInd = blockInd = true;
  const chars = [...s];
  let precededByWs = true;
  chars.forEach((ch, i) => {
    const next = chars[i + 1] ?? '\0';
    const followedByWs = '\0 \t\r\n\x85\u2028\u2029'.includes(next);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowInd = blockInd = true;
      if (ch === '?' || ch === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (ch === '-' && followedByWs) flowInd = blockInd = true;
    } else {
      if (',?[]{}'.includes(ch)) flowInd = true;
      if (ch === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (ch === '#' && precededByWs) flowInd = blockInd = true;
    }
    if ('\n\x85\u2028\u2029'.includes(ch)) lineBreaks = true;
    if (isSpecialChar(ch)) special = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if ('\n\x85\u2028\u2029'.includes(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = prevBreak = false;
    }
    precededByWs = '\0 \t\r\n\x85\u2028\u2029'.includes(ch);
  });
  let flowPlain = true;
  let blockPlain = true;
  let singleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) flowPlain = blockPlain = false;
  if (breakSpace) flowPlain = blockPlain = singleQuoted = false;
  if (spaceBreak || special) flowPlain = blockPlain = singleQuoted = false;
  if (lineBreaks) flowPlain = blockPlain = false;
  if (flowInd) flowPlain = false;
  if (blockInd) blockPlain = false;
  return { empty: false, multiline: lineBreaks, flowPlain, blockPlain, singleQuoted };
}

function scalarOf(v: unknown): Scalar {
  if (v === null) return { text: 'null', plainOk: true, kind: 'other' };
  if (v === true || v === false) return { text: v ? 'true' : 'false', plainOk: true, kind: 'other' };
  if (typeof v === 'number' && !isFloat(v)) return { text: String(v), plainOk: true, kind: 'other' };
  if (isFloat(v)) {
    const n = num(v as number | PyFloat);
    let text = Number.isNaN(n) ? '.nan' : !Number.isFinite(n) ? (n > 0 ? '.inf' : '-.inf') : floatRepr(n).toLowerCase();
    if (!text.includes('.') && text.includes('e')) text = text.replace('e', '.0e');
    return { text, plainOk: true, kind: 'other' };
  }
  if (typeof v === 'string') return { text: v, plainOk: !RESOLVERS.some((r) => r.test(v)), kind: 'str' };
  if (v instanceof Undefined) return v.fail();
  throw new PyError('RepresenterError', `cannot represent an object: ${typeName(v)}`);
}

const isCollection = (v: unknown) => Array.isArray(v) || isDict(v);

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;
  flowLevel = 0;
  constructor(readonly o: DumpOptions) {}

  write(s: string): void {
    this.out += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl < 0 ? this.column + s.length : s.length - nl - 1;
  }
  lineBreak(): void {
    this.write('\n');
    this.whitespace = this.indention = true;
  }
  writeIndent(indent: number): void {
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.lineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
    }
  }
  indicator(ind: string, needWs: boolean, whitespace = false, indention = false): void {
    this.write(this.whitespace || !needWs ? ind : ` ${ind}`);
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
  }

  items(v: unknown): [unknown, unknown][] {
    const entries = [...(v as Map<unknown, unknown>)];
    if (this.o.sortKeys) {
      try {
        entries.sort((a, b) => compare(a[0], b[0]));
      } catch (e) {
        throw typeError((e as Error).message);
      }
    }
    return entries;
  }

  flowStyle(v: unknown): boolean {
    if (Array.isArray(v) ? v.length === 0 : (v as Map<unknown, unknown>).size === 0) return true;
    if (this.o.flowDefault !== null) return this.o.flowDefault;
    const values = Array.isArray(v) ? v : [...(v as Map<unknown, unknown>)].flat();
    return values.every((x) => !isCollection(x));
  }

  node(v: unknown, indent: number | null, ctx: { root?: boolean; mapping?: boolean; sequence?: boolean; simpleKey?: boolean }): void {
    if (isCollection(v)) {
      if (this.flowLevel || this.flowStyle(v)) return this.flow(v, indent);
      const inner = indent === null ? 0 : indent + this.o.indent;
      if (Array.isArray(v)) {
        const seqIndent = ctx.mapping && !this.indention ? (indent ?? 0) : inner;
        for (const item of v) {
          this.writeIndent(seqIndent);
          this.indicator('-', true, false, true);
          this.node(item, seqIndent, { sequence: true });
        }
      } else {
        for (const [k, x] of this.items(v)) {
          this.writeIndent(inner);
          this.node(k, inner, { mapping: true, simpleKey: true });
          this.indicator(':', false);
          this.node(x, inner, { mapping: true });
        }
      }
      return;
    }
    this.scalar(v, indent, ctx);
  }

  flow(v: unknown, indent: number | null): void {
    const inner = indent === null ? this.o.indent : indent + this.o.indent;
    const seq = Array.isArray(v);
    this.indicator(seq ? '[' : '{', true, true);
    this.flowLevel++;
    const entries = seq ? (v as unknown[]).map((x) => [x] as unknown[]) : this.items(v);
    entries.forEach((entry, i) => {
      if (i > 0) this.indicator(',', false);
      if (this.column > this.o.width) this.writeIndent(inner);
      this.node(entry[0], inner, { simpleKey: !seq });
      if (!seq) {
        this.indicator(':', false);
        this.node(entry[1], inner, {});
      }
    });
    this.flowLevel--;
    this.indicator(seq ? ']' : '}', false);
  }

  scalar(v: unknown, indent: number | null, ctx: { root?: boolean; simpleKey?: boolean }): void {
    const s = scalarOf(v);
    const a = analyze(s.text);
    const scalarIndent = indent === null ? this.o.indent : indent + this.o.indent;
    const plainAllowed = s.plainOk && !(ctx.simpleKey && (a.empty || a.multiline)) && (this.flowLevel ? a.flowPlain : a.blockPlain);
    if (s.kind === 'other' || plainAllowed) {
            if (!this.whitespace) this.write(' ');
      this.folded(s.text, scalarIndent, !ctx.simpleKey);
      this.whitespace = this.indention = false;
      return;
    }
    if (a.singleQuoted && !(ctx.simpleKey && a.multiline)) return this.singleQuoted(s.text, scalarIndent, !ctx.simpleKey);
    this.doubleQuoted(s.text, scalarIndent, !ctx.simpleKey);
  }

  /** Plain text, a single space broken into a new line where the column passed the width. */
  folded(text: string, indent: number, split: boolean): void {
    const words = text.split(/( )/);
    let prevSpace = false;
    words.forEach((w, i) => {
      if (w === ' ' && split && !prevSpace && words[i + 1] !== ' ' && words[i + 1] !== '' && this.column > this.o.width && i > 0) {
        this.writeIndent(indent);
        prevSpace = true;
        return;
      }
      if (w) this.write(w);
      prevSpace = w === ' ';
    });
  }

  singleQuoted(text: string, indent: number, split: boolean): void {
    this.indicator("'", true);
    const parts = text.split(/(\n+)/);
    parts.forEach((part, i) => {
      if (i % 2 === 1) {
        // A run of line breaks: one more than it has, then the indent.
        this.write('\n');
        for (let j = 0; j < part.length; j++) this.write('\n');
        this.whitespace = this.indention = true;
        this.writeIndent(indent);
        return;
      }
      this.folded(part.replace(/'/g, "''"), indent, split);
    });
    this.indicator("'", false);
  }

  /** libyaml's double-quoted style: escapes, and a line break for a space past the width. */
  doubleQuoted(text: string, indent: number, split: boolean): void {
    const ESC: Record<string, string> = { '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e', '"': '"', '\\': '\\', '\x85': 'N', '\u2028': 'L', '\u2029': 'P' };
    this.indicator('"', true);
    const chars = [...text];
    let spaces = false;
    chars.forEach((ch, i) => {
      const c = ch.codePointAt(0)!;
      if (Object.hasOwn(ESC, ch) || isSpecialChar(ch)) {
        const hex = (w: number) => c.toString(16).toUpperCase().padStart(w, '0');
        this.write(`\\${Object.hasOwn(ESC, ch) ? ESC[ch] : c <= 0xff ? `x${hex(2)}` : c <= 0xffff ? `u${hex(4)}` : `U${hex(8)}`}`);
        spaces = false;
        return;
      }
      if (ch === ' ') {
        if (split && !spaces && this.column > this.o.width && i !== 0 && i !== chars.length - 1) {
          this.writeIndent(indent);
          if (chars[i + 1] === ' ') this.write('\\');
        } else this.write(' ');
        spaces = true;
        return;
      }
      this.write(ch);
      this.indention = false;
      spaces = false;
    });
    this.indicator('"', false);
  }
}

export function yamlDump(v: unknown, o: DumpOptions): string {
  const e = new Emitter(o);
  if (o.explicitStart) {
    e.write('---');
    e.whitespace = false;
    e.indention = false;
  }
  e.node(v, null, { root: true });
  e.lineBreak();
  return e.out;
}
