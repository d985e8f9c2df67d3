// Helpers filter families share: Python-style argument binding, and the "case-insensitive
// unless asked" comparison keys Jinja2's sort, unique, min, max and dictsort use.
import { typeError } from '../errors.ts';
import { getattr, getitem, iterate, type FilterDef, type Scope } from '../eval.ts';
import { isDict, num, Undefined } from '../values.ts';

export const REQUIRED = Symbol('required');

/**
 * Binds positional and keyword arguments to `names` as Python would; `defaults` holds a
 * default per name, REQUIRED for those without.
 */
export function bind(fname: string, args: unknown[], kwargs: Map<string, unknown>, names: string[], defaults: unknown[]): unknown[] {
  if (args.length > names.length) throw typeError(`${fname}() takes ${names.length + 1} positional arguments but ${args.length + 1} were given`);
  const out = names.map((n, i) => {
    if (i < args.length) {
      if (kwargs.has(n)) throw typeError(`${fname}() got multiple values for argument '${n}'`);
      return args[i];
    }
    if (kwargs.has(n)) return kwargs.get(n);
    if (defaults[i] === REQUIRED) throw typeError(`${fname}() missing 1 required positional argument: '${n}'`);
    return defaults[i];
  });
  for (const k of kwargs.keys()) if (!names.includes(k)) throw typeError(`${fname}() got an unexpected keyword argument '${k}'`);
  return out;
}

type Fn = (ctx: Scope, value: unknown, ...args: unknown[]) => unknown;

/** A filter whose arguments are bound by name: define('join', ['d', 'attribute'], ['', null], fn). */
export function define(fname: string, names: string[], defaults: unknown[], fn: Fn, undefinedOk = false): FilterDef {
  return {
    undefinedOk,
    fn: (ctx, value, args, kwargs) => fn(ctx, value, ...bind(fname, args, kwargs, names, defaults)),
  };
}

/** Jinja2's make_attrgetter: 'a.b.0' walks attributes and integer indexes. */
export function attrGetter(attribute: unknown, defaultValue?: unknown): (item: unknown) => unknown {
  if (attribute === null || attribute === undefined) return (x) => x;
  const parts = typeof attribute === 'string' ? attribute.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [attribute];
  return (item) => {
    let v = item;
    for (const p of parts) {
      v = typeof p === 'number' ? getitem(v, p) : getattr(v, String(p));
      if (v instanceof Undefined && defaultValue !== undefined) return defaultValue;
    }
    return v;
  };
}

/** Comparison key: strings folded to lower case unless case_sensitive. */
export function ignoreCase(caseSensitive: unknown): (v: unknown) => unknown {
  return (v) => (!caseSensitive && typeof v === 'string' ? v.toLowerCase() : v);
}

export function seq(v: unknown): unknown[] {
  return iterate(v);
}

export function toInt(v: unknown): number {
  return Math.trunc(num(v));
}

export function requireDict(v: unknown, fname: string): Map<unknown, unknown> {
  if (!isDict(v)) throw typeError(`${fname} requires a dictionary`);
  return v;
}
