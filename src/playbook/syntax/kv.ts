// `k=v` argument strings as Ansible 2.14 reads them (its parsing/splitter.py and
// parsing/quoting.py): how a string is cut into words, which words are `key=value`, how
// quotes and escapes are undone, and what is left over as `_raw_params`. Written from the
// behaviour (test/conformance/syntax/ holds ansible-core's own answers), so odd inputs
// split exactly as Ansible splits them: quotes that open mid-word, `{{ }}`/`{% %}`/`{# #}`
// spans holding spaces, runs of spaces kept, line continuations, `\=` in keys.
import { emptyVars, type VarMap } from '../../vars.ts';

/** Why an argument string cannot be read; `kind` names the case Ansible refuses. */
export class ArgsError extends Error {
  constructor(
    readonly kind: 'unbalanced' | 'unparsable' | 'escape' | 'module-string',
    message: string,
  ) {
    super(message);
    this.name = 'ArgsError';
  }
}

/** Python's str.strip(): whitespace as Python's str.isspace() knows it. */
const PY_SPACE = ' \t\n\r\v\f\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && PY_SPACE.includes(s[start]!)) start++;
  while (end > start && PY_SPACE.includes(s[end - 1]!)) end--;
  return s.slice(start, end);
}

/** A value wrapped in one pair of matching quotes loses them (unless the closing one is escaped). */
export function unquote(s: string): string {
  const quoted = s.length > 1 && s[0] === s[s.length - 1] && (s[0] === '"' || s[0] === "'") && s[s.length - 2] !== '\\';
  return quoted ? s.slice(1, -1) : s;
}

/** Which quote is open at the end of `token`, given the one open before it. */
function quoteAfter(token: string, open: string | null): string | null {
  let quote = open;
  for (let i = 0; i < token.length; i++) {
    const c = token[i]!;
    if ((c === '"' || c === "'") && (i === 0 || token[i - 1] !== '\\')) {
      if (quote === null) quote = c;
      else if (c === quote) quote = null;
    }
  }
  return quote;
}

/** Non-overlapping occurrences, as Python's str.count. */
function occurrences(s: string, what: string): number {
  return s.split(what).length - 1;
}

function depthAfter(token: string, depth: number, open: string, close: string): number {
  const opened = occurrences(token, open);
  const closed = occurrences(token, close);
  if (opened === closed) return depth;
  return Math.max(0, depth + opened - closed);
}

function lastOf(params: string[]): number {
  // Python's params[-1] on an empty list: Ansible reports the string as unparsable.
  if (params.length === 0) throw new ArgsError('unparsable', 'Unable to parse argument string');
  return params.length - 1;
}

/**
 * Words of an argument string: split at spaces and newlines, but kept together inside
 * quotes and template spans; runs of spaces and the newlines inside a word are kept.
 */
export function splitArgs(args: string): string[] {
  const params: string[] = [];
  const lines = args.split('\n');
  let quote: string | null = null;
  let printDepth = 0;
  let blockDepth = 0;
  let commentDepth = 0;
  lines.forEach((line, lineIndex) => {
    const tokens = line.split(' ');
    let continued = false;
    tokens.forEach((token, idx) => {
      if (token.length === 0 && idx !== 0) {
        params[lastOf(params)] += ' ';
        return;
      }
      const wasQuoted = quote !== null;
      if (token === '\\' && !wasQuoted) {
        continued = true;
        return;
      }
      quote = quoteAfter(token, quote);
      const quoted = quote !== null;
      const inBlock = printDepth > 0 || blockDepth > 0 || commentDepth > 0;
      let appended = false;
      if (quoted && !wasQuoted && !inBlock) {
        params.push(token);
        appended = true;
      } else if (inBlock || quoted || wasQuoted) {
        const last = lastOf(params);
        if (idx === 0 && wasQuoted) params[last] += token;
        else if (tokens.length > 1) params[last] += (idx > 0 ? ' ' : '') + token;
        else params[last] += '\n' + token;
        appended = true;
      }
      for (const [open, close, which] of [['{{', '}}', 'print'], ['{%', '%}', 'block'], ['{#', '#}', 'comment']] as const) {
        const before = which === 'print' ? printDepth : which === 'block' ? blockDepth : commentDepth;
        const after = depthAfter(token, before, open, close);
        if (which === 'print') printDepth = after;
        else if (which === 'block') blockDepth = after;
        else commentDepth = after;
        if (after !== before && !appended) {
          params.push(token);
          appended = true;
        }
      }
      if (printDepth === 0 && blockDepth === 0 && commentDepth === 0 && quote === null && !appended && token !== '') params.push(token);
    });
    if (lines.length > 1 && lineIndex !== lines.length - 1 && !continued) params[lastOf(params)] += '\n';
  });
  if (printDepth > 0 || blockDepth > 0 || commentDepth > 0 || quote !== null) {
    throw new ArgsError('unbalanced', `failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${args}`);
  }
  return params;
}

/** Words joined back: a space between them, none after a word that ends a line. */
export function joinArgs(words: readonly string[]): string {
  let out = '';
  for (const w of words) out += out.length === 0 || out.endsWith('\n') ? w : ` ${w}`;
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** The escapes Ansible undoes in a word before looking for `=`: \\, \', \", \a…\v, \xHH, \uHHHH, \UHHHHHHHH. */
export function decodeEscapes(s: string): string {
  return s.replace(/\\(?:U([\da-fA-F]{8})|u([\da-fA-F]{4})|x([\da-fA-F]{2})|N\{([^}]+)\}|([\\'"abfnrtv]))/g, (all, u8?: string, u4?: string, x2?: string, name?: string, simple?: string) => {
    if (simple !== undefined) return SIMPLE_ESCAPES[simple]!;
    if (name !== undefined) throw new ArgsError('escape', `${all}: escapes by Unicode character name are not supported by tend; write the character itself`);
    const code = parseInt((u8 ?? u4 ?? x2)!, 16);
    if (code > 0x10ffff) throw new ArgsError('escape', `${all}: not a Unicode character (above U+10FFFF)`);
    return String.fromCodePoint(code);
  });
}

/** Options a free-form command keeps as options when written `k=v` (everything else is command text). */
export const FREE_FORM_OPTIONS: ReadonlySet<string> = new Set(['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends']);

/**
 * `k=v` words into a map of strings. With `checkRaw` (free-form modules) only the
 * command options are taken as `k=v`; the other words, as written, become
 * `_raw_params`. Without it, words that are not `k=v` become `_raw_params` too.
 */
export function parseKv(args: string, checkRaw = false): VarMap {
  const options = emptyVars();
  const raw: string[] = [];
  for (const word of splitArgs(args)) {
    const x = decodeEscapes(word);
    if (!x.includes('=')) {
      raw.push(word);
      continue;
    }
    // The first `=` after the first character that is not escaped.
    let pos = 0;
    for (;;) {
      pos = x.indexOf('=', pos + 1);
      if (pos < 0 || x[pos - 1] !== '\\') break;
    }
    if (pos < 0) {
      raw.push(x.replaceAll('\\=', '='));
      continue;
    }
    const key = x.slice(0, pos);
    if (checkRaw && !FREE_FORM_OPTIONS.has(key)) raw.push(word);
    else options[pyStrip(key)] = unquote(pyStrip(x.slice(pos + 1)));
  }
  if (raw.length > 0) options._raw_params = joinArgs(raw);
  return options;
}

/** `module rest of the words` → the module's name and the rest, as Ansible cuts an `action:` string. */
export function splitModuleString(text: string): [string, string] {
  const words = splitArgs(text);
  if (words.length === 0) throw new ArgsError('module-string', 'no module name in the action string');
  return [pyStrip(words[0]!), words.slice(1).join(' ')];
}
