// Jinja2's built-in filters (those Ansible does not replace), with Jinja2 3.1's arguments
// and results: strings, numbers, and the simple list and dict ones. Selection and sorting
// filters are in select.ts.
import { PyError, typeError } from '../errors.ts';
import { getattr, type FilterDef } from '../eval.ts';
import { fixedDigits, formatSpec, percentFormat } from '../format.ts';
import { getMethod } from '../methods.ts';
import { LIMITS } from '../limits.ts';
import { binop } from '../ops.ts';
import { float, isDict, isFloat, isInt, isNumber, num, PyFloat, PyTuple, repr, str, truthy, typeName, Undefined } from '../values.ts';
import { define, REQUIRED, seq } from './util.ts';

/** Python's int() of a str: surrounding whitespace and underscores between digits allowed. */
export function parseIntText(s: string, base: number): number | null {
  if (!(base === 0 || (base >= 2 && base <= 36))) return null;
  const t = s.trim().replace(/(?<=[\da-zA-Z])_(?=[\da-zA-Z])/g, '').toLowerCase();
  const m = /^([-+]?)(?:0([xob]))?([\da-z]+)$/.exec(t);
  if (!m) return null;
  let b = base;
  if (m[2]) {
    const prefixed = m[2] === 'x' ? 16 : m[2] === 'o' ? 8 : 2;
    if (base === 0) b = prefixed;
    else if (base !== prefixed) return null;
  } else if (base === 0) b = 10;
  const digits = m[3]!;
  const valid = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
  if (![...digits].every((c) => valid.includes(c))) return null;
  const n = parseInt(digits, b);
  return m[1] === '-' ? -n : n;
}

/** Python's float() of a str. */
export function parseFloatText(s: string): number | null {
  const t = s.trim().replace(/(?<=\d)_(?=\d)/g, '').toLowerCase();
  if (/^[-+]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[-+]?nan$/.test(t)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(t)) return null;
  return Number(t);
}

export function toFloat(v: unknown, def: unknown): unknown {
  if (isNumber(v) || typeof v === 'boolean') return float(num(v));
  if (typeof v === 'string') {
    const n = parseFloatText(v);
    if (n !== null) return float(n);
  }
  return def;
}

function len(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return typeof v === 'string' ? [...v].length : v.length;
  if (isDict(v)) return v.size;
  throw typeError(`object of type '${typeName(v)}' has no len()`);
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

/** Python's round(): the exact binary value rounded, exact ties to even. */
function pyRound(value: number, precision: number): number {
  return Number(fixedDigits(value, precision));
}

function title(s: string): string {
  return s
    .split(/([-\s({[<]+)/)
    .filter((x) => x)
    .map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

function indent(s: string, width: unknown, first: unknown, blank: unknown): string {
  const pad = typeof width === 'string' ? width : ' '.repeat(num(width));
  const lines = (s + '\n').split(/\r\n|\n|\r/);
  lines.pop();
  let rv: string;
  if (truthy(blank)) rv = lines.join(`\n${pad}`);
  else {
    rv = lines.shift() ?? '';
    if (lines.length) rv += `\n${lines.map((l) => (l ? pad + l : l)).join('\n')}`;
  }
  return truthy(first) ? pad + rv : rv;
}

function filesize(value: unknown, binary: unknown): string {
  const bytes = num(toFloat(value, 0) as number);
  const base = truthy(binary) ? 1024 : 1000;
  const prefixes = truthy(binary) ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = base;
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2);
    if (bytes < unit) return `${formatSpec((base * bytes) / unit, '.1f')} ${prefixes[i]}`;
  }
  return `${formatSpec((base * bytes) / unit, '.1f')} ${prefixes[prefixes.length - 1]}`;
}

function truncate(s: string, length: number, killwords: unknown, end: string, leeway: unknown): string {
  const lee = leeway === null ? 5 : num(leeway);
  if (s.length <= length + lee) return s;
  if (truthy(killwords)) return s.slice(0, length - end.length) + end;
  const cut = s.slice(0, length - end.length);
  const at = cut.lastIndexOf(' ');
  return (at < 0 ? cut : cut.slice(0, at)) + end;
}

export const JINJA_FILTERS: Record<string, FilterDef> = {
  abs: define('abs', [], [], (_c, v) => {
    if (!isNumber(v) && typeof v !== 'boolean') throw typeError(`bad operand type for abs(): '${typeName(v)}'`);
    return isFloat(v) ? float(Math.abs(num(v))) : Math.abs(num(v));
  }),
  // An attribute only: a dict's keys are not attributes.
  attr: define('do_attr', ['name'], [REQUIRED], (_c, v, name) => (isDict(v) && !getMethod(v, str(name)) ? new Undefined(`'dict object' has no attribute '${str(name)}'`) : getattr(v, str(name)))),
  capitalize: define('do_capitalize', [], [], (_c, v) => {
    const s = str(v);
    return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
  }),
  center: define('do_center', ['width'], [80], (_c, v, w) => {
    const s = str(v);
    const gap = num(w) - s.length;
    if (gap <= 0) return s;
    const left = Math.floor(gap / 2) + (gap % 2 && num(w) % 2 ? 1 : 0);
    return ' '.repeat(left) + s + ' '.repeat(gap - left);
  }),
  default: define('do_default', ['default_value', 'boolean'], ['', false], (_c, v, d, boolean) => (v instanceof Undefined || (truthy(boolean) && !truthy(v)) ? d : v), true),
  escape: define('escape', [], [], (_c, v) => escapeHtml(str(v))),
  forceescape: define('do_forceescape', [], [], (_c, v) => escapeHtml(str(v))),
  filesizeformat: define('do_filesizeformat', ['binary'], [false], (_c, v, b) => filesize(v, b)),
  first: define('do_first', [], [], (_c, v) => {
    const items = seq(v);
    return items.length ? items[0] : new Undefined('No first item, sequence was empty.');
  }),
  last: define('do_last', [], [], (_c, v) => {
    const items = seq(v);
    return items.length ? items[items.length - 1] : new Undefined('No last item, sequence was empty.');
  }),
  float: define('do_float', ['default'], [new PyFloat(0)], (_c, v, d) => toFloat(v, d)),
  int: define('do_int', ['default', 'base'], [0, 10], (_c, v, d, base) => {
    if (isInt(v) || typeof v === 'boolean') return num(v);
    if (isFloat(v)) return Math.trunc(num(v));
    if (typeof v === 'string') {
      const n = parseIntText(v, num(base));
      if (n !== null) return n;
      const f = parseFloatText(v);
      if (f !== null && Number.isFinite(f)) return Math.trunc(f);
    }
    return d;
  }),
  format: { fn: (_c, v, args, kwargs) => percentFormat(str(v), kwargs.size ? new Map(kwargs) : PyTuple.from2(args)) },
  indent: define('do_indent', ['width', 'first', 'blank'], [4, false, false], (_c, v, w, f, b) => indent(str(v), w, f, b)),
  items: define('do_items', [], [], (_c, v) => {
    if (v instanceof Undefined) return [];
    if (!isDict(v)) throw typeError('Can only get item pairs from a mapping.');
    return [...v].map(([k, x]) => PyTuple.of2(k, x));
  }, true),
  join: define('do_join', ['d', 'attribute'], ['', null], (_c, v, d, attribute) => {
    let items = seq(v);
    if (attribute !== null) items = items.map((i) => getattr(i, str(attribute)));
    const parts = items.map(str);
    if (parts.reduce((n, p) => n + p.length, 0) > LIMITS.valueChars) throw new PyError('MemoryError', 'joined value over the limit');
    return parts.join(str(d));
  }),
  length: define('do_length', [], [], (_c, v) => len(v)),
  count: define('do_count', [], [], (_c, v) => len(v)),
  list: define('do_list', [], [], (_c, v) => [...seq(v)]),
  lower: define('do_lower', [], [], (_c, v) => str(v).toLowerCase()),
  upper: define('do_upper', [], [], (_c, v) => str(v).toUpperCase()),
  pprint: define('do_pprint', [], [], (_c, v) => repr(v)),
  replace: define('do_replace', ['old', 'new', 'count'], [REQUIRED, REQUIRED, null], (_c, v, old, neu, count) => {
    const s = str(v);
    const o = str(old);
    const n = str(neu);
    if (count === null) return o === '' ? n + [...s].join(n) + (s ? n : '') : s.split(o).join(n);
    let out = s;
    let from = 0;
    for (let i = 0; i < num(count); i++) {
      const at = out.indexOf(o, from);
      if (at < 0) break;
      out = out.slice(0, at) + n + out.slice(at + o.length);
      from = at + n.length;
    }
    return out;
  }),
  reverse: define('do_reverse', [], [], (_c, v) => (typeof v === 'string' ? [...v].reverse().join('') : [...seq(v)].reverse())),
  round: define('do_round', ['precision', 'method'], [0, 'common'], (_c, v, p, method) => {
    const n = num(v);
    const f = 10 ** num(p);
    if (method === 'ceil') return float(Math.ceil(n * f) / f);
    if (method === 'floor') return float(Math.floor(n * f) / f);
    if (method !== 'common') throw new PyError('FilterArgumentError', 'method must be common, ceil or floor');
    // Python's round keeps an int an int.
    return isInt(v) && num(p) >= 0 ? n : float(pyRound(n, num(p)));
  }),
  safe: define('do_mark_safe', [], [], (_c, v) => v),
  string: define('do_string', [], [], (_c, v) => str(v)),
  striptags: define('do_striptags', [], [], (_c, v) =>
    str(v)
      .replace(/<!--.*?-->|<[^>]*>/gs, '')
      .replace(/\s+/g, ' ')
      .trim(),
  ),
  sum: define('do_sum', ['attribute', 'start'], [null, 0], (_c, v, attribute, start) => {
    let total = start;
    for (const i of seq(v)) total = binop('+', total, attribute === null ? i : getattr(i, str(attribute)));
    return total;
  }),
  title: define('do_title', [], [], (_c, v) => title(str(v))),
  trim: define('do_trim', ['chars'], [null], (_c, v, chars) => {
    const s = str(v);
    if (chars === null) return s.trim();
    const set = str(chars);
    let a = 0;
    let b = s.length;
    while (a < b && set.includes(s[a]!)) a++;
    while (b > a && set.includes(s[b - 1]!)) b--;
    return s.slice(a, b);
  }),
  truncate: define('do_truncate', ['length', 'killwords', 'end', 'leeway'], [255, false, '...', null], (_c, v, l, k, e, lee) => truncate(str(v), num(l), k, str(e), lee)),
  wordcount: define('do_wordcount', [], [], (_c, v) => (str(v).match(/\w+/gu) ?? []).length),
  urlencode: define('do_urlencode', [], [], (_c, v) => {
    const enc = (s: unknown) => encodeURIComponent(str(s)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%2F/g, '/');
    // In a query string a space is '+', as urllib's quote_plus writes it.
    const qs = (s: unknown) => enc(s).replace(/\//g, '%2F').replace(/%20/g, '+');
    if (isDict(v)) return [...v].map(([k, x]) => `${qs(k)}=${qs(x)}`).join('&');
    return enc(v);
  }),
  xmlattr: define('do_xmlattr', ['autospace'], [true], (_c, v, autospace) => {
    const parts: string[] = [];
    for (const [k, x] of v as Map<unknown, unknown>) {
      if (x === null || x instanceof Undefined) continue;
      parts.push(`${escapeHtml(str(k))}="${escapeHtml(str(x))}"`);
    }
    const rv = parts.join(' ');
    return rv && truthy(autospace) ? ` ${rv}` : rv;
  }),
  batch: define('do_batch', ['linecount', 'fill_with'], [REQUIRED, null], (_c, v, n, fill) => {
    const out: unknown[][] = [];
    let tmp: unknown[] = [];
    for (const i of seq(v)) {
      if (tmp.length === num(n)) {
        out.push(tmp);
        tmp = [];
      }
      tmp.push(i);
    }
    if (tmp.length) {
      if (fill !== null && tmp.length < num(n)) while (tmp.length < num(n)) tmp.push(fill);
      out.push(tmp);
    }
    return out;
  }),
  slice: define('do_slice', ['slices', 'fill_with'], [REQUIRED, null], (_c, v, slices, fill) => {
    const items = seq(v);
    const n = num(slices);
    const per = Math.floor(items.length / n);
    const extra = items.length % n;
    const out: unknown[][] = [];
    let offset = 0;
    for (let i = 0; i < n; i++) {
      const start = offset + i * per;
      if (i < extra) offset++;
      const tmp = items.slice(start, offset + (i + 1) * per);
      if (fill !== null && i >= extra) tmp.push(fill);
      out.push(tmp);
    }
    return out;
  }),
};
JINJA_FILTERS.d = JINJA_FILTERS.default!;
JINJA_FILTERS.e = JINJA_FILTERS.escape!;
