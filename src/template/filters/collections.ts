// ansible.builtin filters on lists and dicts: combine (recursive, list_merge), dict2items,
// items2dict, flatten, zip(_longest), subelements, product, permutations, combinations,
// the set-theory filters (order kept, as Ansible's unique-based versions keep it), extract.
import { PyError } from '../errors.ts';
import { getitem, type FilterDef } from '../eval.ts';
import { eq, isDict, num, PyTuple, str, truthy, typeName, Undefined } from '../values.ts';
import { define, REQUIRED, seq } from './util.ts';

type Dict = Map<unknown, unknown>;
const filterError = (msg: string) => new PyError('AnsibleFilterError', msg, 'AnsibleFilterError');
// AnsibleFilterTypeError is a TypeError: do_template reports it as AnsibleError.
const typeFail = (msg: string) => new PyError('AnsibleFilterTypeError', msg, 'AnsibleError');
const pyClass = (v: unknown) => `<class '${typeName(v)}'>`;
const includes = (list: unknown[], x: unknown) => list.some((y) => eq(x, y));

function dictEq(a: Dict, b: Dict): boolean {
  return eq(a, b);
}

export function mergeHash(x: Dict, y: Dict, recursive: boolean, listMerge: string): Dict {
  if (x.size === 0 || dictEq(x, y)) return new Map(y);
  const out = new Map(x);
  if (!recursive && listMerge === 'replace') {
    for (const [k, v] of y) out.set(k, v);
    return out;
  }
  for (const [key, yv] of y) {
    if (!out.has(key)) {
      out.set(key, yv);
      continue;
    }
    const xv = out.get(key);
    if (isDict(xv) && isDict(yv)) {
      out.set(key, recursive ? mergeHash(xv, yv, recursive, listMerge) : yv);
      continue;
    }
    if (Array.isArray(xv) && Array.isArray(yv) && !(xv instanceof PyTuple) && !(yv instanceof PyTuple)) {
      if (listMerge === 'replace') out.set(key, yv);
      else if (listMerge === 'append') out.set(key, [...xv, ...yv]);
      else if (listMerge === 'prepend') out.set(key, [...yv, ...xv]);
      else if (listMerge === 'append_rp') out.set(key, [...xv.filter((z) => !includes(yv, z)), ...yv]);
      else if (listMerge === 'prepend_rp') out.set(key, [...yv, ...xv.filter((z) => !includes(yv, z))]);
      continue;
    }
    out.set(key, yv);
  }
  return out;
}

function combine(terms: unknown[], kwargs: Map<string, unknown>): Dict {
  const recursive = truthy(kwargs.get('recursive') ?? false);
  const listMerge = str(kwargs.get('list_merge') ?? 'replace');
  for (const k of kwargs.keys()) if (k !== 'recursive' && k !== 'list_merge') throw filterError(`'recursive' and 'list_merge' are the only valid keyword arguments`);
  if (!['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'].includes(listMerge)) {
    throw filterError(`merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'`);
  }
  const dicts = terms.flatMap((t) => (Array.isArray(t) ? t : [t]));
  let result = new Map<unknown, unknown>();
  for (const d of dicts) {
    if (d instanceof Undefined) d.fail();
    if (!isDict(d)) throw typeFail(`failed to combine variables, expected dicts but got a '${typeName(d)}'`);
    result = mergeHash(result, d, recursive, listMerge);
  }
  return result;
}

function flatten(list: unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const el of list) {
    if (skipNulls && (el === null || el === 'None' || el === 'null')) continue;
    if (Array.isArray(el)) {
      if (levels === null) out.push(...flatten(el, null, skipNulls));
      else if (levels >= 1) out.push(...flatten(el, levels - 1, skipNulls));
      else out.push(el);
    } else out.push(el);
  }
  return out;
}

function uniqueKeep(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const i of items) if (!includes(out, i)) out.push(i);
  return out;
}

function product(lists: unknown[][]): PyTuple[] {
  let out: unknown[][] = [[]];
  for (const l of lists) out = out.flatMap((prefix) => l.map((x) => [...prefix, x]));
  return out.map((t) => PyTuple.from2(t));
}

function permutations(items: unknown[], r: number): PyTuple[] {
  if (r > items.length) return [];
  if (r === 0) return [new PyTuple()];
  const out: PyTuple[] = [];
  items.forEach((x, i) => {
    for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)], r - 1)) out.push(PyTuple.from2([x, ...rest]));
  });
  return out;
}

function combinations(items: unknown[], r: number): PyTuple[] {
  if (r === 0) return [new PyTuple()];
  const out: PyTuple[] = [];
  items.forEach((x, i) => {
    for (const rest of combinations(items.slice(i + 1), r - 1)) out.push(PyTuple.from2([x, ...rest]));
  });
  return out;
}

function subelements(obj: unknown, path: unknown, skipMissing: unknown): PyTuple[] {
  const elements = isDict(obj) ? [...obj.values()] : Array.isArray(obj) ? obj : null;
  if (!elements) throw filterError('obj must be a list of dicts or a nested dict');
  const keys = typeof path === 'string' ? path.split('.') : null;
  if (!keys) throw filterError('subelements must be a list or a string');
  const out: PyTuple[] = [];
  for (const el of elements) {
    let values: unknown = el;
    let missing = false;
    for (const k of keys) {
      if (!isDict(values) || !values.has(k)) {
        if (truthy(skipMissing)) {
          missing = true;
          break;
        }
        throw filterError(`could not find '${k}' key in iterated item '${str(values)}'`);
      }
      values = values.get(k);
    }
    if (missing) continue;
    if (!Array.isArray(values)) throw filterError(`the key ${keys[keys.length - 1]} should point to a list, got '${str(values)}'`);
    for (const v of values) out.push(PyTuple.of2(el, v));
  }
  return out;
}

export const COLLECTION_FILTERS: Record<string, FilterDef> = {
  combine: { fn: (_c, v, args, kwargs) => combine([v, ...args], kwargs) },
  dict2items: define('dict2items', ['key_name', 'value_name'], ['key', 'value'], (_c, v, kn, vn) => {
    if (!isDict(v)) throw typeFail(`dict2items requires a dictionary, got ${pyClass(v)} instead.`);
    return [...v].map(([k, x]) => new Map([[kn, k], [vn, x]]));
  }),
  items2dict: define('items2dict', ['key_name', 'value_name'], ['key', 'value'], (_c, v, kn, vn) => {
    if (!Array.isArray(v)) throw typeFail(`items2dict requires a list, got ${pyClass(v)} instead.`);
    const out = new Map<unknown, unknown>();
    for (const item of v) {
      if (!isDict(item)) throw typeFail(`items2dict requires a list of dictionaries, got ${pyClass(item)} instead.`);
      if (!item.has(kn) || !item.has(vn)) throw typeFail(`items2dict requires each dictionary to have keys '${str(kn)}' and '${str(vn)}'`);
      out.set(item.get(kn), item.get(vn));
    }
    return out;
  }),
  flatten: define('flatten', ['levels', 'skip_nulls'], [null, true], (_c, v, levels, skip) => {
    if (!Array.isArray(v)) throw typeFail(`flatten requires a list, got ${pyClass(v)} instead.`);
    return flatten(v, levels === null ? null : num(levels), truthy(skip));
  }),
  zip: { fn: (_c, v, args) => {
    const lists = [v, ...args].map(seq);
    const n = Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_x, i) => PyTuple.from2(lists.map((l) => l[i])));
  } },
  zip_longest: { fn: (_c, v, args, kwargs) => {
    const lists = [v, ...args].map(seq);
    const n = Math.max(...lists.map((l) => l.length));
    const fill = kwargs.get('fillvalue') ?? null;
    return Array.from({ length: n }, (_x, i) => PyTuple.from2(lists.map((l) => (i < l.length ? l[i] : fill))));
  } },
  subelements: define('subelements', ['subelements', 'skip_missing'], [REQUIRED, false], (_c, v, p, s) => subelements(v, p, s)),
  product: { fn: (_c, v, args, kwargs) => {
    const lists = [v, ...args].map(seq);
    const repeat = kwargs.has('repeat') ? num(kwargs.get('repeat')) : 1;
    return product(Array.from({ length: repeat }, () => lists).flat());
  } },
  permutations: define('permutations', ['r'], [null], (_c, v, r) => permutations(seq(v), r === null ? seq(v).length : num(r))),
  combinations: define('combinations', ['r'], [REQUIRED], (_c, v, r) => combinations(seq(v), num(r))),
  union: define('union', ['b'], [REQUIRED], (_c, a, b) => uniqueKeep([...seq(a), ...seq(b)])),
  intersect: define('intersect', ['b'], [REQUIRED], (_c, a, b) => uniqueKeep(seq(a).filter((x) => includes(seq(b), x)))),
  difference: define('difference', ['b'], [REQUIRED], (_c, a, b) => uniqueKeep(seq(a).filter((x) => !includes(seq(b), x)))),
  symmetric_difference: define('symmetric_difference', ['b'], [REQUIRED], (_c, a, b) => {
    const isect = uniqueKeep(seq(a).filter((x) => includes(seq(b), x)));
    return uniqueKeep([...seq(a), ...seq(b)]).filter((x) => !includes(isect, x));
  }),
  extract: define('extract', ['container', 'morekeys'], [REQUIRED, null], (_c, item, container, morekeys) => {
    let v = getitem(container, item);
    const keys = morekeys === null ? [] : Array.isArray(morekeys) ? morekeys : [morekeys];
    for (const k of keys) v = getitem(v, k);
    return v;
  }),
};
