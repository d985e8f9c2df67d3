// The template text as tokens, with Jinja2's whitespace rules:
//   {%- / {{- / {#-   strip all whitespace before the tag
//   -%} / -}} / -#}   strip all whitespace after it
//   trim_blocks       the first newline after a block tag or comment is removed (Ansible: on)
//   lstrip_blocks     spaces and tabs from the line start to a block tag or comment are removed;
//                     `{%+` keeps them
//   `+%}`             keeps the newline trim_blocks would remove
//   {% raw %}…{% endraw %} is data (its opening tag does not trim a newline; endraw does)
//   One trailing newline of the source is dropped (keep_trailing_newline off); Ansible puts
//   newlines back afterwards (see render.ts).
import { TemplateSyntaxError } from './errors.ts';

export interface Syntax {
  blockStart: string;
  blockEnd: string;
  variableStart: string;
  variableEnd: string;
  commentStart: string;
  commentEnd: string;
  trimBlocks: boolean;
  lstripBlocks: boolean;
  keepTrailingNewline: boolean;
  newlineSequence: string;
  /**
   * Ansible's escape_backslashes (Templar.template, for task arguments and variables, not
   * for template files): a backslash in a string literal inside {{ }} is a backslash.
   */
  escapeBackslashes?: boolean;
}

export const ANSIBLE_SYNTAX: Syntax = {
  blockStart: '{%',
  blockEnd: '%}',
  variableStart: '{{',
  variableEnd: '}}',
  commentStart: '{#',
  commentEnd: '#}',
  trimBlocks: true,
  lstripBlocks: false,
  keepTrailingNewline: false,
  newlineSequence: '\n',
};

export type TokenType = 'data' | 'var_begin' | 'var_end' | 'block_begin' | 'block_end' | 'name' | 'string' | 'integer' | 'float' | 'op' | 'eof';

export interface Token {
  type: TokenType;
  value: string;
  /** Numeric value for integer/float tokens, decoded text for strings. */
  parsed?: unknown;
  line: number;
  col: number;
}

const FLOAT = /(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?[eE][+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/y;
const INTEGER = /(?:0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[\da-fA-F])+|[1-9](?:_?\d)*|0(?:_?0)*)/y;
const NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const STRING = /'([^'\\]*(?:\\[\s\S][^'\\]*)*)'|"([^"\\]*(?:\\[\s\S][^"\\]*)*)"/y;
const OPERATORS = ['//', '**', '==', '!=', '>=', '<=', '+', '-', '/', '*', '%', '~', '[', ']', '(', ')', '{', '}', '>', '<', '=', '.', ':', '|', ',', ';'];
const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const OPENING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Python's unicode-escape decoding of a string literal's body. */
export function unescapePython(body: string): string {
  return body.replace(/\\(x[\da-fA-F]{2}|u[\da-fA-F]{4}|U[\da-fA-F]{8}|[0-7]{1,3}|[\s\S])/g, (all, e: string) => {
    const c = e[0]!;
    if ((c === 'x' || c === 'u' || c === 'U') && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/[0-7]/.test(c)) return String.fromCodePoint(parseInt(e, 8));
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
    return simple[c] ?? all;
  });
}

export function tokenize(input: string, syntax: Syntax = ANSIBLE_SYNTAX, name?: string): Token[] {
  let source = input;
  if (!syntax.keepTrailingNewline) source = source.replace(/(\r\n|\r|\n)$/, '');
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const where = (pos: number): [number, number] => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return [lo + 1, pos - lineStarts[lo]! + 1];
  };
  const fail = (msg: string, pos: number): never => {
    const [line, col] = where(pos);
    throw new TemplateSyntaxError(msg, line, name, col);
  };
  const tokens: Token[] = [];
  const push = (type: TokenType, value: string, pos: number, parsed?: unknown) => {
    const [line, col] = where(pos);
    tokens.push({ type, value, line, col, parsed });
  };
  const data = (text: string, pos: number) => {
    if (text) push('data', text.replace(/\r\n|\r|\n/g, syntax.newlineSequence), pos);
  };
  const { blockStart, blockEnd, variableStart, variableEnd, commentStart, commentEnd } = syntax;
  const starts = [variableStart, blockStart, commentStart];
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const rawBegin = new RegExp(`${esc(blockStart)}([-+]?)\\s*raw\\s*(-?)${esc(blockEnd)}`, 'y');
  const rawEnd = new RegExp(`${esc(blockStart)}([-+]?)\\s*endraw\\s*([-+]?)${esc(blockEnd)}`, 'g');
  /** Text after a closing tag: its whitespace stripped or first newline trimmed. */
  const afterClose = (pos: number, sign: string, trims: boolean): number => {
    if (sign === '-') {
      while (pos < source.length && /\s/.test(source[pos]!)) pos++;
    } else if (sign !== '+' && trims && syntax.trimBlocks && source[pos] === '\n') pos++;
    return pos;
  };
  /** Data before an opening tag at `at`, with `-` or lstrip_blocks applied. */
  const beforeOpen = (text: string, sign: string, lstrips: boolean, at: number): string => {
    if (sign === '-') return text.replace(/\s+$/, '');
    if (lstrips && sign !== '+' && syntax.lstripBlocks) {
      // Only when the tag starts its line: nothing but spaces and tabs since the last newline.
      const lineStart = source.lastIndexOf('\n', at - 1) + 1;
      const indent = at - lineStart;
      if (/^[ \t]*$/.test(source.slice(lineStart, at)) && indent <= text.length) return text.slice(0, text.length - indent);
    }
    return text;
  };

  let pos = 0;
  // Where each opening delimiter next occurs, searched again only once passed: searching
  // from every tag for a delimiter the template lacks would read it to the end each time.
  const nextAt = new Map<string, number>(starts.map((s) => [s, -2]));
  while (pos < source.length) {
    let next = -1;
    let kind = '';
    for (const s of starts) {
      let i = nextAt.get(s)!;
      if (i !== -1 && i < pos) {
        i = source.indexOf(s, pos);
        nextAt.set(s, i);
      }
      if (i >= 0 && (next < 0 || i < next)) {
        next = i;
        kind = s;
      }
    }
    if (next < 0) {
      data(source.slice(pos), pos);
      break;
    }
    const sign = source[next + kind.length] === '-' || source[next + kind.length] === '+' ? source[next + kind.length]! : '';
    const text = source.slice(pos, next);
    if (kind === blockStart) {
      rawBegin.lastIndex = next;
      const raw = rawBegin.exec(source);
      if (raw) {
        data(beforeOpen(text, raw[1]!, true, next), pos);
        let bodyStart = rawBegin.lastIndex;
        if (raw[2] === '-') bodyStart = afterClose(bodyStart, '-', false);
        rawEnd.lastIndex = bodyStart;
        const end = rawEnd.exec(source);
        if (!end) fail('Missing end of raw directive', next);
        // endraw strips before it as any block tag does ('-', or lstrip_blocks).
        data(beforeOpen(source.slice(bodyStart, end!.index), end![1]!, true, end!.index), bodyStart);
        pos = afterClose(rawEnd.lastIndex, end![2]!, true);
        continue;
      }
    }
    if (kind === commentStart) {
      data(beforeOpen(text, sign, true, next), pos);
      const end = source.indexOf(commentEnd, next + kind.length);
      if (end < 0) fail('Missing end of comment tag', next);
      const closeSign = end > next + kind.length + (sign ? 1 : 0) && (source[end - 1] === '-' || source[end - 1] === '+') ? source[end - 1]! : '';
      pos = afterClose(end + commentEnd.length, closeSign, true);
      continue;
    }
    const isBlock = kind === blockStart;
    data(beforeOpen(text, sign, isBlock, next), pos);
    push(isBlock ? 'block_begin' : 'var_begin', kind, next);
    pos = next + kind.length + (sign ? 1 : 0);
    const endDelim = isBlock ? blockEnd : variableEnd;
    const balancing: string[] = [];
    for (;;) {
      while (pos < source.length && /\s/.test(source[pos]!)) pos++;
      if (pos >= source.length) {
        push('eof', '', pos);
        return tokens;
      }
      if (balancing.length === 0) {
        const s = source[pos];
        if ((s === '-' || (s === '+' && isBlock)) && source.startsWith(endDelim, pos + 1)) {
          push(isBlock ? 'block_end' : 'var_end', endDelim, pos);
          pos = afterClose(pos + 1 + endDelim.length, s, isBlock);
          break;
        }
        if (source.startsWith(endDelim, pos)) {
          push(isBlock ? 'block_end' : 'var_end', endDelim, pos);
          pos = afterClose(pos + endDelim.length, '', isBlock);
          break;
        }
      }
      let m: RegExpExecArray | null;
      FLOAT.lastIndex = pos;
      if ((m = FLOAT.exec(source)) && !(source[pos - 1] === '.')) {
        push('float', m[0], pos, Number(m[0].replace(/_/g, '')));
        pos = FLOAT.lastIndex;
        continue;
      }
      INTEGER.lastIndex = pos;
      if ((m = INTEGER.exec(source))) {
        const digits = m[0].replace(/_/g, '').toLowerCase();
        const value = digits.startsWith('0b') ? parseInt(digits.slice(2), 2) : digits.startsWith('0o') ? parseInt(digits.slice(2), 8) : Number(digits);
        push('integer', m[0], pos, value);
        pos = INTEGER.lastIndex;
        continue;
      }
      NAME.lastIndex = pos;
      if ((m = NAME.exec(source))) {
        push('name', m[0], pos);
        pos = NAME.lastIndex;
        continue;
      }
      STRING.lastIndex = pos;
      if ((m = STRING.exec(source))) {
        const body = (m[1] ?? m[2]!).replace(/\r\n|\r/g, '\n');
        push('string', m[0], pos, syntax.escapeBackslashes && !isBlock ? body : unescapePython(body));
        pos = STRING.lastIndex;
        continue;
      }
      const op = OPERATORS.find((o) => source.startsWith(o, pos));
      if (!op) {
        if (source[pos] === '"' || source[pos] === "'") fail(`unexpected char ${JSON.stringify(source[pos])} at ${pos}`, pos);
        fail(`unexpected char '${source[pos]}' at ${pos}`, pos);
      }
      if (OPENING[op!]) balancing.push(op!);
      else if (CLOSING[op!]) {
        if (balancing.length === 0) fail(`unexpected '${op}'`, pos);
        const open = balancing.pop()!;
        if (open !== CLOSING[op!]) fail(`unexpected '${op}', expected '${OPENING[open]}'`, pos);
      }
      push('op', op!, pos);
      pos += op!.length;
    }
  }
  push('eof', '', source.length);
  return tokens;
}
