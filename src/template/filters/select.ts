// Filters that pick, map and order items: map, select/reject(attr), sort, dictsort,
// groupby, unique, min, max (Ansible's min/max/unique take Jinja2's arguments).
import { PyError } from '../errors.ts';
import type { FilterDef, Scope } from '../eval.ts';
import { MISSING, type HasAttrs } from '../objects.ts';
import { compare, eq, isDict, PyTuple, str, truthy, typeName, Undefined } from '../values.ts';
import { attrGetter, define, ignoreCase, REQUIRED, seq } from './util.ts';

/** A (grouper, list) pair from groupby: a tuple with named fields. */
class GroupTuple extends PyTuple implements HasAttrs {
  pyAttr(name: string): unknown {
    if (name === 'grouper') return this[0];
    if (name === 'list') return this[1];
    return MISSING;
  }
}

function selectOrReject(ctx: Scope, value: unknown, args: unknown[], kwargs: Map<string, unknown>, byAttr: boolean, keep: boolean): unknown[] {
  const rest = [...args];
  const get = byAttr ? attrGetter(rest.shift()) : (x: unknown) => x;
  const testName = rest.shift();
  const check = (v: unknown) => (testName === undefined ? truthy(v) : ctx.test(str(testName), v, rest, kwargs));
  return seq(value).filter((item) => check(get(item)) === keep);
}

function sortKey(attribute: unknown, caseSensitive: unknown): (item: unknown) => unknown[] {
  const getters = (attribute === null ? [null] : typeof attribute === 'string' ? attribute.split(',') : [attribute]).map((a) => attrGetter(a === null ? null : a));
  const fold = ignoreCase(caseSensitive);
  return (item) => getters.map((g) => fold(g(item)));
}

function sorted(items: unknown[], key: (x: unknown) => unknown, reverse: unknown): unknown[] {
  const keyed = items.map((item) => ({ item, k: key(item) }));
  // Stable, as Python's; reverse keeps equal items in their order, as Python's reverse=True.
  keyed.sort((a, b) => (truthy(reverse) ? compare(b.k, a.k) : compare(a.k, b.k)));
  return keyed.map((x) => x.item);
}

function uniqueItems(items: unknown[], caseSensitive: unknown, attribute: unknown): unknown[] {
  const get = attrGetter(attribute);
  const fold = ignoreCase(caseSensitive);
  const seen: unknown[] = [];
  const out: unknown[] = [];
  for (const item of items) {
    const k = fold(get(item));
    if (seen.some((s) => eq(s, k))) continue;
    seen.push(k);
    out.push(item);
  }
  return out;
}

function extreme(value: unknown, caseSensitive: unknown, attribute: unknown, max: boolean): unknown {
  const items = seq(value);
  if (items.length === 0) return new Undefined('No aggregated item, sequence was empty.');
  const get = attrGetter(attribute);
  const fold = ignoreCase(caseSensitive);
  let best = items[0];
  for (const item of items.slice(1)) {
    const c = compare(fold(get(item)), fold(get(best)));
    if (max ? c > 0 : c < 0) best = item;
  }
  return best;
}

export const SELECT_FILTERS: Record<string, FilterDef> = {
  map: {
    fn: (ctx, value, args, kwargs) => {
      const items = seq(value);
      if (args.length === 0 && kwargs.has('attribute')) {
        const def = kwargs.has('default') ? kwargs.get('default') : undefined;
        const get = attrGetter(kwargs.get('attribute'), def);
        return items.map(get);
      }
      if (args.length === 0) throw new PyError('FilterArgumentError', 'map requires a filter argument');
      const [name, ...rest] = args;
      return items.map((i) => ctx.filter(str(name), i, rest, kwargs));
    },
  },
  select: { fn: (ctx, v, a, k) => selectOrReject(ctx, v, a, k, false, true) },
  reject: { fn: (ctx, v, a, k) => selectOrReject(ctx, v, a, k, false, false) },
  selectattr: { fn: (ctx, v, a, k) => selectOrReject(ctx, v, a, k, true, true) },
  rejectattr: { fn: (ctx, v, a, k) => selectOrReject(ctx, v, a, k, true, false) },
  sort: define('do_sort', ['reverse', 'case_sensitive', 'attribute'], [false, false, null], (_c, v, reverse, cs, attribute) =>
    sorted(seq(v), sortKey(attribute, cs), reverse),
  ),
  dictsort: define('do_dictsort', ['case_sensitive', 'by', 'reverse'], [false, 'key', false], (_c, v, cs, by, reverse) => {
    if (!isDict(v)) throw new PyError('AttributeError', `'${typeName(v)}' object has no attribute 'items'`);
    if (by !== 'key' && by !== 'value') throw new PyError('FilterArgumentError', 'You can only sort by either "key" or "value"');
    const fold = ignoreCase(cs);
    const pairs = [...v].map(([k, x]) => PyTuple.of2(k, x));
    return sorted(pairs, (p) => fold((p as PyTuple)[by === 'key' ? 0 : 1]), reverse);
  }),
  groupby: define('do_groupby', ['attribute', 'default', 'case_sensitive'], [REQUIRED, null, false], (_c, v, attribute, def, cs) => {
    const get = attrGetter(attribute, def === null ? undefined : def);
    const fold = ignoreCase(cs);
    const items = sorted(seq(v), (x) => fold(get(x)), false);
    const out: GroupTuple[] = [];
    for (const item of items) {
      const last = out[out.length - 1];
      if (last && eq(fold(get(last[1] instanceof Array ? (last[1] as unknown[])[0] : null)), fold(get(item)))) (last[1] as unknown[]).push(item);
      else {
        const g = new GroupTuple();
        g.push(truthy(cs) ? get(item) : get(item), [item]);
        out.push(g);
      }
    }
    return out;
  }),
  unique: define('unique', ['case_sensitive', 'attribute'], [false, null], (_c, v, cs, attribute) => uniqueItems(seq(v), cs, attribute)),
  min: define('min', ['case_sensitive', 'attribute'], [false, null], (_c, v, cs, attribute) => extreme(v, cs, attribute, false)),
  max: define('max', ['case_sensitive', 'attribute'], [false, null], (_c, v, cs, attribute) => extreme(v, cs, attribute, true)),
};
