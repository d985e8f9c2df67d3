// The lookup plugins that exist mostly for `with_*` loops, as ansible-core 2.14's:
//   together   [1, 2], [3] -> [1, 3], [2, None]  (zip, the short lists padded with None)
//   nested     every combination of the lists, the first varying slowest
//   subelements (list-or-dict, 'key.path'[, {skip_missing}]) -> (item, subitem) pairs;
//              the sublist's key is taken out of the item, as Ansible pops it
//   sequence   "[start-]end[/stride][:format]" or "start= end= count= stride= format="
// Each result item is one level flattened, as LookupBase._flatten does.
import { PyError } from './errors.ts';
import { percentFormat } from './format.ts';
import { isDict, PyTuple, repr, str, truthy } from './values.ts';

const lookupError = (msg: string) => new PyError('AnsibleError', msg, 'AnsibleError');

/** One level of lists taken apart (LookupBase._flatten). */
const flatten = (terms: readonly unknown[]): unknown[] => terms.flatMap((t) => (Array.isArray(t) ? [...t] : [t]));

/** A term as listify_lookup_plugin_terms leaves it: a list, or the one value in a list. */
const listify = (t: unknown): unknown[] => (Array.isArray(t) ? t : typeof t === 'string' || !isDict(t) ? [t] : [...t.keys()]);

export function together(terms: unknown[]): unknown[] {
  const lists = terms.map(listify);
  if (lists.length === 0) throw lookupError('with_together requires at least one element in each list');
  const longest = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: longest }, (_, i) => flatten(lists.map((l) => (i < l.length ? l[i] : null))));
}

export function nested(terms: unknown[]): unknown[] {
  const lists = terms.map(listify);
  if (lists.length === 0) throw lookupError('with_nested requires at least one element in the nested list');
  let result: unknown[] = lists[0]!;
  for (const next of lists.slice(1)) result = result.flatMap((x) => next.map((y) => flatten([x, y])));
  return result.map((x) => flatten(Array.isArray(x) ? x : [x]));
}

export function subelements(terms: unknown[]): unknown[] {
  const termsError = (msg = '') => lookupError(`subelements lookup expects a list of two or three items, ${msg}`);
  if (terms.length < 2 || terms.length > 3) throw termsError();
  const [source, path, flags = new Map()] = terms;
  if (!(Array.isArray(source) || isDict(source)) || typeof path !== 'string') throw termsError('first a dict or a list, second a string pointing to the subkey');
  let elements: unknown[];
  if (isDict(source)) {
    if (source.has('skipped') && source.get('skipped') !== false) return [];
    elements = [...source.values()];
  } else elements = source;
  if (!isDict(flags)) throw termsError("the optional third item must be a dict with flags ('skip_missing',)");
  const skipMissing = truthy(flags.get('skip_missing') ?? false);
  const keys = path.split('.');
  const out: unknown[] = [];
  for (const element of elements) {
    if (!isDict(element)) throw lookupError(`subelements lookup expects a dictionary, got '${str(element)}'`);
    if (element.has('skipped') && element.get('skipped') !== false) continue;
    let at: Map<unknown, unknown> = element;
    let sublist: unknown[] = [];
    for (const [k, key] of keys.entries()) {
      const last = k === keys.length - 1;
      if (!at.has(key)) {
        if (skipMissing) continue;
        throw lookupError(`could not find '${key}' key in iterated item '${str(at)}'`);
      }
      const value = at.get(key);
      if (!last) {
        if (!isDict(value)) {
          if (skipMissing) continue;
          throw lookupError(`the key ${key} should point to a dictionary, got '${str(value)}'`);
        }
        at = value;
      } else {
        if (!Array.isArray(value)) throw lookupError(`the key ${key} should point to a list, got '${str(value)}'`);
        sublist = value;
        at.delete(key);
      }
    }
    for (const sub of sublist) out.push(PyTuple.of2(element, sub));
  }
  return out;
}

const NUM = '(0?x?[0-9a-f]+)';
const SHORTCUT = new RegExp(`^(${NUM}-)?${NUM}(/${NUM})?(:(.+))?$`, 'is');

/** Python's int(text, 0): decimal, 0x hex, 0o/0 octal, 0b binary; NaN when it is none of them. */
function pyInt0(text: string): number {
  const t = text.trim().replace(/_/g, '');
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[1-9][0-9]*|0+)$/.exec(t);
  if (!m) return NaN;
  const body = m[2]!;
  const value = /^0[xob]/i.test(body) ? Number(body.toLowerCase()) : Number(body);
  return m[1] === '-' ? -value : value;
}

/** Ansible's k=v for one sequence term (spaces separate; no quoting is needed here). */
function kv(term: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of term.trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw lookupError(`unrecognized arguments to with_sequence: ['_raw_params']`);
    out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

function sequenceOf(term: string): string[] {
  let start = 1;
  let end: number | undefined;
  let count: number | undefined;
  let stride = 1;
  let format = '%d';
  const parse = (name: string, raw: string) => {
    const v = pyInt0(raw);
    if (Number.isNaN(v)) throw lookupError(`can't parse ${name}=${raw} as integer`);
    return v;
  };
  const m = SHORTCUT.exec(term);
  if (m) {
    if (m[2] !== undefined) start = parse('start', m[2]);
    end = parse('end', m[3]!);
    if (m[5] !== undefined) stride = parse('stride', m[5]);
    if (m[7] !== undefined) format = m[7];
  } else {
    const args = kv(term);
    for (const name of ['start', 'end', 'count', 'stride'] as const) {
      const raw = args.get(name);
      args.delete(name);
      if (raw === undefined) continue;
      const v = parse(name, raw);
      if (name === 'start') start = v;
      else if (name === 'end') end = v;
      else if (name === 'count') count = v;
      else stride = v;
    }
    if (args.has('format')) {
      format = args.get('format')!;
      args.delete('format');
    }
    if (args.size > 0) throw lookupError(`unrecognized arguments to with_sequence: ${repr([...args.keys()])}`);
  }
  if (count === undefined && end === undefined) throw lookupError('must specify count or end in with_sequence');
  if (count !== undefined && end !== undefined) throw lookupError("can't specify both count and end in with_sequence");
  if (count !== undefined) {
    if (count !== 0) end = start + count * stride - 1;
    else [start, end, stride] = [0, 0, 0];
  }
  if (stride > 0 && end! < start) throw lookupError('to count backwards make stride negative');
  if (stride < 0 && end! > start) throw lookupError("to count forward don't make stride negative");
  if ((format.match(/%/g) ?? []).length !== 1) throw lookupError(`bad formatting string: ${format}`);
  if (stride === 0) return [];
  const out: string[] = [];
  const stop = end! + (stride > 0 ? 1 : -1);
  for (let i = start; stride > 0 ? i < stop : i > stop; i += stride) {
    if (out.length >= 1_000_000) throw lookupError('with_sequence: more than 1000000 items (the limit)');
    out.push(percentFormat(format, i));
  }
  return out;
}

export const sequence = (terms: unknown[]): unknown[] => terms.flatMap((t) => sequenceOf(str(t)));
