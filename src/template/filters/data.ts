// to_json / to_nice_json / from_json, to_yaml / to_nice_yaml / from_yaml(_all), tojson:
// Python's json.dumps and PyYAML's dump as Ansible calls them, byte for byte (separators,
// ensure_ascii escapes, sorted keys in the nice forms, float spelling).
import { PyError, typeError } from '../errors.ts';
import type { FilterDef } from '../eval.ts';
import { jsonLoads } from '../json.ts';
import { yamlDump } from '../yaml-dump.ts';
import { yamlValues } from '../yaml-values.ts';
import { compare, floatRepr, isDict, isFloat, num, PyFloat, str, truthy, typeName, Undefined } from '../values.ts';
import { define } from './util.ts';

interface JsonOptions {
  indent: number | null;
  sortKeys: boolean;
  itemSep: string;
  keySep: string;
  ensureAscii: boolean;
  htmlSafe?: boolean;
}

function jsonString(s: string, o: JsonOptions): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (o.ensureAscii && c > 0x7e) || (o.htmlSafe && '<>&\''.includes(ch))) {
      if (c > 0xffff) {
        const hi = Math.floor((c - 0x10000) / 0x400) + 0xd800;
        const lo = ((c - 0x10000) % 0x400) + 0xdc00;
        out += `\\u${hi.toString(16).padStart(4, '0')}\\u${lo.toString(16).padStart(4, '0')}`;
      } else out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

function jsonKey(k: unknown, o: JsonOptions): string {
  if (typeof k === 'string') return jsonString(k, o);
  if (k === true) return '"true"';
  if (k === false) return '"false"';
  if (k === null) return '"null"';
  if (typeof k === 'number' || k instanceof PyFloat) return `"${jsonNumber(k)}"`;
  throw typeError(`keys must be str, int, float, bool or None, not ${typeName(k)}`);
}

function jsonNumber(v: number | PyFloat): string {
  if (isFloat(v)) {
    const n = num(v);
    if (Number.isNaN(n)) return 'NaN';
    if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
    return floatRepr(n);
  }
  return String(v);
}

export function jsonDumps(v: unknown, o: JsonOptions, level = 0): string {
  if (level > 500) throw new PyError('RecursionError', 'maximum recursion depth exceeded while encoding a JSON object');
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'string') return jsonString(v, o);
  if (typeof v === 'number' || v instanceof PyFloat) return jsonNumber(v);
  if (v instanceof Undefined) return v.fail();
  const nl = o.indent === null ? '' : `\n${' '.repeat(o.indent * (level + 1))}`;
  const close = o.indent === null ? '' : `\n${' '.repeat(o.indent * level)}`;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${nl}${v.map((x) => jsonDumps(x, o, level + 1)).join(o.itemSep + nl)}${close}]`;
  }
  if (isDict(v)) {
    if (v.size === 0) return '{}';
    let entries = [...v];
    if (o.sortKeys) entries = entries.sort((a, b) => compare(a[0], b[0]));
    return `{${nl}${entries.map(([k, x]) => jsonKey(k, o) + o.keySep + jsonDumps(x, o, level + 1)).join(o.itemSep + nl)}${close}}`;
  }
  throw typeError(`Object of type ${typeName(v)} is not JSON serializable`);
}

function kwBool(kwargs: Map<string, unknown>, name: string, def: boolean): boolean {
  return kwargs.has(name) ? truthy(kwargs.get(name)) : def;
}

function jsonOptions(kwargs: Map<string, unknown>, nice: boolean, indentDefault: number | null): JsonOptions {
  const indent = kwargs.has('indent') ? (kwargs.get('indent') === null ? null : num(kwargs.get('indent'))) : indentDefault;
  const seps = kwargs.get('separators') as unknown[] | undefined;
  return {
    indent,
    sortKeys: kwBool(kwargs, 'sort_keys', nice),
    itemSep: seps ? str(seps[0]) : indent === null ? ', ' : ',',
    keySep: seps ? str(seps[1]) : ': ',
    ensureAscii: kwBool(kwargs, 'ensure_ascii', true),
  };
}

export const DATA_FILTERS: Record<string, FilterDef> = {
  to_json: { fn: (_c, v, _a, kwargs) => jsonDumps(v, jsonOptions(kwargs, false, null)) },
  to_nice_json: {
    fn: (_c, v, args, kwargs) => {
      const k = new Map(kwargs);
      if (args.length) k.set('indent', args[0]);
      if (args.length > 1) k.set('sort_keys', args[1]);
      return jsonDumps(v, jsonOptions(k, true, 4));
    },
  },
  tojson: define('do_tojson', ['indent'], [null], (_c, v, indent) =>
    jsonDumps(v, { indent: indent === null ? null : num(indent), sortKeys: true, itemSep: indent === null ? ', ' : ',', keySep: ': ', ensureAscii: true, htmlSafe: true }),
  ),
  from_json: { fn: (_c, v) => jsonLoads(str(v)) },
  to_yaml: { fn: (_c, v, _a, kwargs) => yamlDump(v, { indent: kwargs.has('indent') ? num(kwargs.get('indent')) : 2, flowDefault: kwargs.has('default_flow_style') ? (kwargs.get('default_flow_style') as boolean | null) : null, width: kwargs.has('width') ? num(kwargs.get('width')) : 80, sortKeys: kwBool(kwargs, 'sort_keys', true), explicitStart: kwBool(kwargs, 'explicit_start', false) }) },
  to_nice_yaml: {
    fn: (_c, v, args, kwargs) =>
      yamlDump(v, { indent: args.length ? num(args[0]) : kwargs.has('indent') ? num(kwargs.get('indent')) : 4, flowDefault: false, width: kwargs.has('width') ? num(kwargs.get('width')) : 80, sortKeys: kwBool(kwargs, 'sort_keys', true), explicitStart: kwBool(kwargs, 'explicit_start', false) }),
  },
  from_yaml: {
    fn: (_c, v) => {
      if (typeof v !== 'string') return v;
      try {
        return yamlValues(v);
      } catch (e) {
        throw new PyError('YAMLError', (e as Error).message);
      }
    },
  },
};
