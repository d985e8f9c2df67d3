// The Python methods of str, list and dict that templates call (`x.split(',')`,
// `d.items()`, `'{}'.format(a)`, `l.append(x)` as the `{% set _ = … %}` idiom uses it).
// Only these names exist: any other attribute of a value is missing, as a data key would be.
import { PyError, typeError, valueError } from './errors.ts';
import { strFormat } from './format.ts';
import { LIMITS } from './limits.ts';
import { compare, eq, isDict, isInt, num, PyTuple, repr, str, typeName, type PyCallable } from './values.ts';

export type MethodImpl = (self: never, args: unknown[], kwargs: Map<string, unknown>) => unknown;

/** A method bound to its object: what `x.upper` is before it is called. */
export class BoundMethod implements PyCallable {
  constructor(
    readonly self: unknown,
    readonly callableName: string,
    private readonly impl: MethodImpl,
  ) {}
  call(args: unknown[], kwargs: Map<string, unknown>): unknown {
    return this.impl(this.self as never, args, kwargs);
  }
  pyRepr(): string {
    return `<built-in method ${this.callableName} of ${typeName(this.self)} object>`;
  }
}

/** Hooks the evaluator lends str.format for `{0.attr}` and `{0[key]}` fields. */
export const formatHooks = {
  getattr: (obj: unknown, _attr: string): unknown => obj,
  getitem: (obj: unknown, _key: unknown): unknown => obj,
};

const WS = ' \t\n\r\x0b\x0c\u001c\u001d\u001e\u001f\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

function strip(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? WS : str(chars);
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a]!)) a++;
  if (right) while (b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function split(s: string, sep: unknown, maxsplit: number): string[] {
  if (sep === undefined || sep === null) {
    const out: string[] = [];
    let rest = strip(s, undefined, true, false);
    while (rest) {
      if (maxsplit >= 0 && out.length >= maxsplit) {
        out.push(strip(rest, undefined, false, true));
        break;
      }
      // eslint-disable-next-line no-control-regex -- Python's str.split() splits on these too
      const m = /[\s\x1c-\x1f\x85]+/.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  const by = str(sep);
  if (by === '') throw valueError('empty separator');
  const parts = s.split(by);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(by)];
}

function rsplit(s: string, sep: unknown, maxsplit: number): string[] {
  if (maxsplit < 0) return split(s, sep, -1);
  const rev = (x: string) => [...x].reverse().join('');
  return split(rev(s), sep === undefined || sep === null ? sep : rev(str(sep)), maxsplit).map(rev).reverse();
}

function affix(s: string, what: unknown, start: boolean): boolean {
  const options = what instanceof PyTuple ? what : [what];
  return options.some((o) => {
    if (typeof o !== 'string') throw typeError(`${start ? 'startswith' : 'endswith'} first arg must be str or a tuple of str, not ${typeName(o)}`);
    return start ? s.startsWith(o) : s.endsWith(o);
  });
}

function find(s: string, sub: string, from: unknown, reverse: boolean): number {
  const start = from === undefined || from === null ? 0 : num(from);
  return reverse ? s.lastIndexOf(sub) : s.indexOf(sub, start < 0 ? Math.max(0, s.length + start) : start);
}

function iterable(v: unknown): unknown[] {
  if (typeof v === 'string') return [...v];
  if (Array.isArray(v)) return v;
  if (isDict(v)) return [...v.keys()];
  throw typeError(`'${typeName(v)}' object is not iterable`);
}

const a0 = (args: unknown[], i: number, def?: unknown) => (args.length > i ? args[i] : def);
const kw = (args: unknown[], kwargs: Map<string, unknown>, i: number, name: string, def?: unknown) => (kwargs.has(name) ? kwargs.get(name) : a0(args, i, def));
const isSpace = (s: string) => s.length > 0 && strip(s, undefined, true, true) === '';

const STR: Record<string, (s: string, args: unknown[], kwargs: Map<string, unknown>) => unknown> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  casefold: (s) => s.toLowerCase(),
  strip: (s, a) => strip(s, a[0], true, true),
  lstrip: (s, a) => strip(s, a[0], true, false),
  rstrip: (s, a) => strip(s, a[0], false, true),
  split: (s, a, k) => split(s, kw(a, k, 0, 'sep'), num(kw(a, k, 1, 'maxsplit', -1))),
  rsplit: (s, a, k) => rsplit(s, kw(a, k, 0, 'sep'), num(kw(a, k, 1, 'maxsplit', -1))),
  splitlines: (s, a) => {
    // eslint-disable-next-line no-control-regex -- the line boundaries of Python's str.splitlines()
    const parts = s.split(/(\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])/);
    const out: string[] = [];
    for (let i = 0; i < parts.length; i += 2) {
      if (i === parts.length - 1 && parts[i] === '') break;
      out.push(parts[i]! + (a[0] ? (parts[i + 1] ?? '') : ''));
    }
    return out;
  },
  startswith: (s, a) => affix(s, a[0], true),
  endswith: (s, a) => affix(s, a[0], false),
  replace: (s, a) => {
    const [old, neu, count] = [str(a[0]), str(a[1]), a[2] === undefined ? -1 : num(a[2])];
    if (count < 0) return old === '' ? [...s].join(neu).replace(/^/, neu) + (s ? neu : '') : s.split(old).join(neu);
    let out = s;
    let from = 0;
    for (let i = 0; i < count; i++) {
      const at = out.indexOf(old, from);
      if (at < 0) break;
      out = out.slice(0, at) + neu + out.slice(at + old.length);
      from = at + neu.length;
    }
    return out;
  },
  find: (s, a) => find(s, str(a[0]), a[1], false),
  rfind: (s, a) => find(s, str(a[0]), a[1], true),
  index: (s, a) => {
    const i = find(s, str(a[0]), a[1], false);
    if (i < 0) throw valueError('substring not found');
    return i;
  },
  rindex: (s, a) => {
    const i = find(s, str(a[0]), a[1], true);
    if (i < 0) throw valueError('substring not found');
    return i;
  },
  count: (s, a) => (str(a[0]) === '' ? s.length + 1 : s.split(str(a[0])).length - 1),
  join: (s, a) => {
    const items = iterable(a[0]);
    items.forEach((x, i) => {
      if (typeof x !== 'string') throw typeError(`sequence item ${i}: expected str instance, ${typeName(x)} found`);
    });
    return items.join(s);
  },
  format: (s, a, k) => strFormat(s, a, k, formatHooks.getattr, formatHooks.getitem),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  title: (s) => s.toLowerCase().replace(/(^|[^a-zA-Z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  isdigit: (s) => /^\d+$/.test(s),
  isdecimal: (s) => /^\d+$/.test(s),
  isnumeric: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^\p{L}+$/u.test(s),
  isalnum: (s) => /^[\p{L}\d]+$/u.test(s),
  isspace: (s) => isSpace(s),
  islower: (s) => /\p{Ll}/u.test(s) && !/\p{Lu}/u.test(s),
  isupper: (s) => /\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s),
  isidentifier: (s) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s),
  zfill: (s, a) => {
    const sign = /^[-+]/.test(s) ? s[0]! : '';
    return sign + s.slice(sign.length).padStart(num(a[0]) - sign.length, '0');
  },
  center: (s, a) => {
    const gap = num(a[0]) - s.length;
    if (gap <= 0) return s;
    const fill = a[1] === undefined ? ' ' : str(a[1]);
    const left = Math.floor(gap / 2) + (gap % 2 && num(a[0]) % 2 ? 1 : 0);
    return fill.repeat(left) + s + fill.repeat(gap - left);
  },
  ljust: (s, a) => s.padEnd(num(a[0]), a[1] === undefined ? ' ' : str(a[1])),
  rjust: (s, a) => s.padStart(num(a[0]), a[1] === undefined ? ' ' : str(a[1])),
  partition: (s, a) => {
    const i = s.indexOf(str(a[0]));
    return PyTuple.from2(i < 0 ? [s, '', ''] : [s.slice(0, i), str(a[0]), s.slice(i + str(a[0]).length)]);
  },
  rpartition: (s, a) => {
    const i = s.lastIndexOf(str(a[0]));
    return PyTuple.from2(i < 0 ? ['', '', s] : [s.slice(0, i), str(a[0]), s.slice(i + str(a[0]).length)]);
  },
  removeprefix: (s, a) => (s.startsWith(str(a[0])) ? s.slice(str(a[0]).length) : s),
  removesuffix: (s, a) => (str(a[0]) && s.endsWith(str(a[0])) ? s.slice(0, -str(a[0]).length) : s),
  expandtabs: (s, a) => s.replace(/\t/g, ' '.repeat(a[0] === undefined ? 8 : num(a[0]))),
};

function listIndex(l: unknown[], v: unknown): number {
  const i = l.findIndex((x) => eq(x, v));
  if (i < 0) throw valueError(`${repr(v)} is not in list`);
  return i;
}

const LIST: Record<string, (l: unknown[], args: unknown[], kwargs: Map<string, unknown>) => unknown> = {
  index: (l, a) => listIndex(l, a[0]),
  count: (l, a) => l.filter((x) => eq(x, a[0])).length,
  copy: (l) => [...l],
};
const MUTATING_LIST: Record<string, (l: unknown[], args: unknown[], kwargs: Map<string, unknown>) => unknown> = {
  append: (l, a) => {
    if (l.length >= LIMITS.rangeItems) throw new PyError('MemoryError', `a list over ${LIMITS.rangeItems} items (the limit)`);
    l.push(a[0]);
    return null;
  },
  extend: (l, a) => {
    l.push(...iterable(a[0]));
    return null;
  },
  insert: (l, a) => {
    let i = num(a[0]);
    if (i < 0) i = Math.max(0, l.length + i);
    l.splice(i, 0, a[1]);
    return null;
  },
  pop: (l, a) => {
    if (l.length === 0) throw new PyError('IndexError', 'pop from empty list');
    let i = a[0] === undefined ? l.length - 1 : num(a[0]);
    if (i < 0) i += l.length;
    if (i < 0 || i >= l.length) throw new PyError('IndexError', 'pop index out of range');
    return l.splice(i, 1)[0];
  },
  remove: (l, a) => {
    l.splice(listIndex(l, a[0]), 1);
    return null;
  },
  reverse: (l) => {
    l.reverse();
    return null;
  },
  sort: (l, _a, k) => {
    l.sort(compare);
    if (k.get('reverse')) l.reverse();
    return null;
  },
  clear: (l) => {
    l.length = 0;
    return null;
  },
};

type Dict = Map<unknown, unknown>;
const DICT: Record<string, (d: Dict, args: unknown[], kwargs: Map<string, unknown>) => unknown> = {
  keys: (d) => [...d.keys()],
  values: (d) => [...d.values()],
  items: (d) => [...d].map(([k, v]) => PyTuple.of2(k, v)),
  get: (d, a) => (d.has(a[0]) ? d.get(a[0]) : a.length > 1 ? a[1] : null),
  copy: (d) => new Map(d),
  update: (d, a, k) => {
    const from = a[0];
    if (isDict(from)) for (const [key, v] of from) d.set(key, v);
    else if (Array.isArray(from)) for (const pair of from) d.set((pair as unknown[])[0], (pair as unknown[])[1]);
    for (const [key, v] of k) d.set(key, v);
    return null;
  },
  pop: (d, a) => {
    if (d.has(a[0])) {
      const v = d.get(a[0]);
      d.delete(a[0]);
      return v;
    }
    if (a.length > 1) return a[1];
    throw new PyError('KeyError', repr(a[0]));
  },
  setdefault: (d, a) => {
    if (!d.has(a[0])) d.set(a[0], a.length > 1 ? a[1] : null);
    return d.get(a[0]);
  },
  clear: (d) => {
    d.clear();
    return null;
  },
};

/** The method `name` of `obj`, bound; undefined when Python has no such method. */
export function getMethod(obj: unknown, name: string): BoundMethod | undefined {
  if (typeof obj === 'string' && Object.hasOwn(STR, name)) return new BoundMethod(obj, name, (s: string, a, k) => STR[name]!(s, a, k));
  if (Array.isArray(obj)) {
    if (Object.hasOwn(LIST, name)) return new BoundMethod(obj, name, (l: unknown[], a, k) => LIST[name]!(l, a, k));
    if (!(obj instanceof PyTuple) && Object.hasOwn(MUTATING_LIST, name)) return new BoundMethod(obj, name, (l: unknown[], a, k) => MUTATING_LIST[name]!(l, a, k));
  }
  if (isDict(obj) && Object.hasOwn(DICT, name)) return new BoundMethod(obj, name, (d: Dict, a, k) => DICT[name]!(d, a, k));
  if (isInt(obj) && name === 'bit_length') return new BoundMethod(obj, name, (n: number) => (n === 0 ? 0 : Math.floor(Math.log2(Math.abs(n))) + 1));
  return undefined;
}
