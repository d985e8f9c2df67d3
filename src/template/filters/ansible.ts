// ansible.builtin filters on text and scalars: bool, ternary, regex_*, quote, b64*, path
// filters, comment, mandatory, split, type_debug, human_readable/human_to_bytes, log/pow/root.
import { Buffer } from 'node:buffer';
import { posix } from 'node:path';
import { PyError, typeError } from '../errors.ts';
import type { FilterDef } from '../eval.ts';
import { pyRegex, pyReplacement } from '../regex.ts';
import { float, isDict, isNumber, num, PyTuple, str, truthy, typeName, Undefined } from '../values.ts';
import { define, REQUIRED } from './util.ts';

const filterError = (msg: string) => new PyError('AnsibleFilterError', msg, 'AnsibleFilterError');

/** Ansible's bool filter: None stays None. */
export function toBool(a: unknown): boolean | null {
  if (typeof a === 'boolean' || a === null) return a;
  const v = typeof a === 'string' ? a.toLowerCase() : a;
  return v === 'yes' || v === 'on' || v === '1' || v === 'true' || (isNumber(v) && num(v) === 1);
}

function regexReplace(value: unknown, pattern: unknown, replacement: unknown, ignorecase: unknown, multiline: unknown, count: unknown, mandatoryCount: unknown): string {
  const re = pyRegex(str(pattern), { ignorecase: truthy(ignorecase), multiline: truthy(multiline), global: true });
  const rep = pyReplacement(str(replacement));
  let n = 0;
  const limit = num(count);
  const out = str(value).replace(re, (...m: unknown[]) => {
    const hasGroups = typeof m[m.length - 1] === 'object';
    const groups = hasGroups ? (m[m.length - 1] as Record<string, string>) : undefined;
    const captures = m.slice(0, hasGroups ? -3 : -2) as string[];
    if (limit > 0 && n >= limit) return captures[0]!;
    n++;
    return rep(captures, groups);
  });
  if (num(mandatoryCount) && n !== num(mandatoryCount)) throw filterError(`'${str(pattern)}' should match ${num(mandatoryCount)} times, but matches ${n} times`);
  return out;
}

function regexSearch(value: unknown, pattern: unknown, args: unknown[], kwargs: Map<string, unknown>): unknown {
  const re = pyRegex(str(pattern), { ignorecase: truthy(kwargs.get('ignorecase')), multiline: truthy(kwargs.get('multiline')) });
  // The group arguments are read before searching: a bad one fails even without a match.
  const groups = args.map((a) => {
    const g = /^\\g<(\S+)>/.exec(str(a)) ?? /^\\(\d+)/.exec(str(a));
    if (!g) throw filterError('Unknown argument');
    return g[1]!;
  });
  const m = re.exec(str(value));
  if (!m) return null;
  if (groups.length === 0) return m[0];
  return groups.map((g) => (/^\d+$/.test(g) ? m[Number(g)] : m.groups?.[g]) ?? null);
}

function regexFindall(value: unknown, pattern: unknown, multiline: unknown, ignorecase: unknown): unknown[] {
  const re = pyRegex(str(pattern), { ignorecase: truthy(ignorecase), multiline: truthy(multiline), global: true });
  const out: unknown[] = [];
  for (const m of str(value).matchAll(re)) {
    if (m.length === 1) out.push(m[0]);
    else if (m.length === 2) out.push(m[1] ?? '');
    else out.push(PyTuple.from2(m.slice(1).map((x) => x ?? '')));
  }
  return out;
}

function shellQuote(s: string): string {
  if (s === '') return "''";
  if (!/[^\w@%+=:,./-]/.test(s)) return s;
  return `'${s.replace(/'/g, "'\"'\"'")}'`;
}

const COMMENT_STYLES: Record<string, Record<string, string>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

function comment(text: string, style: string, kw: Map<string, unknown>): string {
  const styleParams = COMMENT_STYLES[style];
  if (!styleParams) throw new PyError('KeyError', `'${style}'`);
  const prepost = kw.has('decoration') ? str(kw.get('decoration')) : styleParams.decoration!;
  const p: Record<string, unknown> = { newline: '\n', beginning: '', prefix: prepost.trimEnd(), prefix_count: 1, decoration: '', postfix: prepost.trimEnd(), postfix_count: 1, end: '', ...styleParams };
  for (const [k, v] of kw) p[k] = v;
  const nl = str(p.newline);
  const deco = str(p.decoration);
  const beginning = p.beginning ? `${str(p.beginning)}${nl}` : '';
  let prefix = '';
  if (p.prefix) prefix = (str(p.prefix) !== nl ? `${str(p.prefix)}${nl}` : nl).repeat(num(p.prefix_count));
  const body = `${deco}${text.split(nl).join(nl + deco)}`.split(deco + nl).join(deco.trimEnd() + nl);
  const postfix = ['', ...Array.from({ length: num(p.postfix_count) }, () => str(p.postfix))].join(nl);
  const end = p.end ? `${nl}${str(p.end)}` : '';
  return beginning + prefix + body + postfix + end;
}

const SIZE_RANGES: [string, number][] = [['Y', 2 ** 80], ['Z', 2 ** 70], ['E', 2 ** 60], ['P', 2 ** 50], ['T', 2 ** 40], ['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10], ['B', 1]];

function humanToBytes(size: unknown, defaultUnit: unknown, isbits: unknown): number {
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(str(size));
  if (!m || m[1] === '') throw filterError(`human_to_bytes() can't interpret following string: ${str(size)}`);
  const n = Number(m[1]);
  const unit = m[2] ?? (defaultUnit === null ? null : str(defaultUnit));
  if (unit === null) return Math.round(n);
  const range = SIZE_RANGES.find(([k]) => k === unit[0]!.toUpperCase());
  if (!range) throw filterError(`human_to_bytes() failed to convert ${str(size)}. Value is not a valid string (expect one of Y, Z, E, P, T, G, M, K, B)`);
  const bits = truthy(isbits);
  if (unit.length > 1 || range[0] === 'B') {
    const suffix = unit.slice(1);
    const ok = bits ? ['b', 'bit', 'ib'].includes(suffix.toLowerCase()) && suffix !== 'B' : (unit === 'B' || ['B', 'iB', 'b'].includes(suffix) || unit.toLowerCase() === 'byte' || unit.toLowerCase() === 'bytes');
    if (!ok && !(range[0] === 'B' && unit.length === 1)) throw filterError(`human_to_bytes() failed to convert ${str(size)}. Value is not a valid string (expect ${bits ? 'bit' : 'byte'})`);
  }
  return Math.round(n * range[1]);
}

function humanReadable(size: unknown, isbits: unknown, unit: unknown): string {
  const n = num(size);
  const base = truthy(isbits) ? 'bits' : 'Bytes';
  let chosen = SIZE_RANGES[SIZE_RANGES.length - 1]!;
  for (const r of SIZE_RANGES) {
    chosen = r;
    if ((unit === null && n >= r[1]) || (unit !== null && str(unit).toUpperCase() === r[0])) break;
  }
  const suffix = chosen[1] !== 1 ? chosen[0] + base[0] : base;
  return `${(n / chosen[1]).toFixed(2)} ${suffix}`;
}

export const ANSIBLE_FILTERS: Record<string, FilterDef> = {
  bool: define('to_bool', [], [], (_c, v) => toBool(v)),
  ternary: define('ternary', ['true_val', 'false_val', 'none_val'], [REQUIRED, REQUIRED, null], (_c, v, t, f, n) => (v === null && n !== null ? n : truthy(v) ? t : f)),
  // 2.14's regex_replace has no count or mandatory_count (2.17 added them).
  regex_replace: define('regex_replace', ['pattern', 'replacement', 'ignorecase', 'multiline'], ['', '', false, false], (_c, v, p, r, i, m) => regexReplace(v, p, r, i, m, 0, 0)),
  regex_search: {
    fn: (_c, v, args, kwargs) => {
      if (args.length === 0) throw typeError("regex_search() missing 1 required positional argument: 'regex'");
      return regexSearch(v, args[0], args.slice(1), kwargs);
    },
  },
  regex_findall: define('regex_findall', ['regex', 'multiline', 'ignorecase'], [REQUIRED, false, false], (_c, v, r, m, i) => regexFindall(v, r, m, i)),
  regex_escape: define('regex_escape', ['re_type'], ['python'], (_c, v, type) => {
    if (str(type) === 'posix_basic') return str(v).replace(/[.^$*[\]\\]/g, '\\$&');
    return str(v).replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => `\\${c}`);
  }),
  quote: define('quote', [], [], (_c, v) => shellQuote(v === null ? '' : str(v))),
  b64encode: define('b64encode', ['encoding', 'errors'], ['utf-8', 'strict'], (_c, v) => Buffer.from(str(v), 'utf8').toString('base64')),
  b64decode: define('b64decode', ['encoding', 'errors'], ['utf-8', 'strict'], (_c, v) => {
    // As binascii.a2b_base64: other characters are dropped, then the length must work out.
    const data = str(v).replace(/[^A-Za-z0-9+/=]/g, '');
    const chars = data.replace(/=+$/, '').replace(/=/g, '');
    if (chars.length % 4 === 1) throw new PyError('Error', `Invalid base64-encoded string: number of data characters (${chars.length}) cannot be 1 more than a multiple of 4`);
    if (data.length % 4 !== 0) throw new PyError('Error', 'Incorrect padding');
    return Buffer.from(data, 'base64').toString('utf8');
  }),
  basename: define('basename', [], [], (_c, v) => {
    const s = str(v);
    return s.slice(s.lastIndexOf('/') + 1);
  }),
  dirname: define('dirname', [], [], (_c, v) => {
    const s = str(v);
    const head = s.slice(0, s.lastIndexOf('/') + 1);
    return head && head !== '/'.repeat(head.length) ? head.replace(/\/+$/, '') : head;
  }),
  splitext: define('splitext', [], [], (_c, v) => {
    const s = str(v);
    const base = s.slice(s.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return PyTuple.of2(s, '');
    const cut = s.length - base.length + dot;
    return PyTuple.of2(s.slice(0, cut), s.slice(cut));
  }),
  path_join: define('path_join', [], [], (_c, v) => {
    if (typeof v === 'string') return v;
    const parts = (v as unknown[]).map(str);
    let out = '';
    for (const p of parts) out = p.startsWith('/') ? p : out === '' || out.endsWith('/') ? out + p : `${out}/${p}`;
    return out;
  }),
  relpath: define('relpath', ['start'], [REQUIRED], (_c, v, start) => posix.relative(str(start), str(v)) || '.'),
  realpath: define('realpath', [], [], (_c, v) => posix.normalize(str(v))),
  expanduser: define('expanduser', [], [], (_c, v) => str(v).replace(/^~(?=\/|$)/, process.env.HOME ?? '~')),
  comment: { fn: (_c, v, args, kwargs) => comment(str(v), args.length ? str(args[0]) : kwargs.has('style') ? str(kwargs.get('style')) : 'plain', new Map([...kwargs].filter(([k]) => k !== 'style'))) },
  mandatory: define('mandatory', ['msg'], [null], (_c, v, msg) => {
    if (v instanceof Undefined) {
      if (msg !== null) throw filterError(str(msg));
      // Ansible's own spelling, two spaces after a name included.
      const m = /^'([^']+)' is undefined$/.exec(v.hint);
      throw filterError(`Mandatory variable ${m ? `'${m[1]}' ` : ''} not defined.`);
    }
    return v;
  }, true),
  type_debug: define('type_debug', [], [], (_c, v) => typeName(v)),
  split: define('split', ['seperator', 'maxsplit'], [null, -1], (_c, v, sep, max) => {
    const s = str(v);
    if (sep === null) return s.split(/\s+/).filter((x) => x);
    const parts = s.split(str(sep));
    return num(max) < 0 || parts.length <= num(max) + 1 ? parts : [...parts.slice(0, num(max)), parts.slice(num(max)).join(str(sep))];
  }),
  human_to_bytes: define('human_to_bytes', ['default_unit', 'isbits'], [null, false], (_c, v, u, b) => humanToBytes(v, u, b)),
  human_readable: define('human_readable', ['isbits', 'unit'], [false, null], (_c, v, b, u) => humanReadable(v, b, u)),
  log: define('logarithm', ['base'], [Math.E], (_c, v, base) => float(num(base) === 10 ? Math.log10(num(v)) : Math.log(num(v)) / Math.log(num(base)))),
  pow: define('power', ['y'], [REQUIRED], (_c, v, y) => float(num(v) ** num(y))),
  root: define('inversepower', ['base'], [2], (_c, v, base) => float(num(base) === 2 ? Math.sqrt(num(v)) : num(v) ** (1 / num(base)))),
  urlsplit: define('split_url', ['query'], [''], (_c, v, query) => {
    const u = new URL(str(v));
    const parts = new Map<unknown, unknown>([
      ['fragment', u.hash.replace(/^#/, '')], ['hostname', u.hostname.toLowerCase() || null], ['netloc', u.host],
      ['password', u.password || null], ['path', u.pathname], ['port', u.port ? Number(u.port) : null],
      ['query', u.search.replace(/^\?/, '')], ['scheme', u.protocol.replace(/:$/, '')], ['username', u.username || null],
    ]);
    if (query === '') return parts;
    if (!parts.has(str(query))) throw filterError(`urlsplit: unknown URL component: ${str(query)}`);
    return parts.get(str(query));
  }),
};
void isDict;
