// Python values as the template engine holds them, and how Python prints them.
//   None → null          bool → boolean        str → string
//   int  → integral number (a float whose value is integral is a PyFloat, so 1.0 prints 1.0)
//   float→ non-integral number or PyFloat        list → Array     tuple → PyTuple
//   dict → Map (insertion order kept; keys may be str, int, …, as in Python)
//   undefined → Undefined (carries the message Jinja2/Ansible would print)
// Plain JS objects never reach templates as such: fromJS turns them into Maps, so attribute
// access can only ever see data (no prototype, no constructor, no JS functions).
import { typeError, UndefinedError } from './errors.ts';

export class PyFloat {
  constructor(readonly value: number) {}
}

/** A tuple: a list that prints with parentheses and cannot be changed. */
export class PyTuple extends Array<unknown> {
  static of2(a: unknown, b: unknown): PyTuple {
    const t = new PyTuple();
    t.push(a, b);
    return t;
  }
  static from2(items: unknown[]): PyTuple {
    const t = new PyTuple();
    for (const i of items) t.push(i);
    return t;
  }
}

/** A missing value. Reading attributes of it gives itself (Ansible's AnsibleUndefined). */
export class Undefined {
  /** lenient: Jinja2's plain Undefined (an inline if without else), which prints as nothing. */
  constructor(
    readonly hint: string,
    readonly lenient = false,
  ) {}
  fail(): never {
    throw new UndefinedError(this.hint);
  }
}

/** jinja2's namespace(): the one object whose attributes a template may set. */
export class Namespace {
  readonly attrs = new Map<string, unknown>();
}

/** Anything a template can call: macros, bound methods, globals. */
export interface PyCallable {
  readonly callableName: string;
  call(args: unknown[], kwargs: Map<string, unknown>): unknown;
}
export function isCallable(v: unknown): v is PyCallable {
  if (typeof v !== 'object' || v === null || typeof (v as PyCallable).callableName !== 'string') return false;
  return typeof (v as PyCallable).call === 'function' || typeof (v as { callWithState?: unknown }).callWithState === 'function';
}

export const isUndefined = (v: unknown): v is Undefined => v instanceof Undefined;
export const isDict = (v: unknown): v is Map<unknown, unknown> => v instanceof Map;
export const isList = (v: unknown): v is unknown[] => Array.isArray(v);
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
export const isFloat = (v: unknown): boolean => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
export const isNumber = (v: unknown): boolean => typeof v === 'number' || v instanceof PyFloat;
/** A number's value (booleans count as 0/1, as in Python arithmetic). */
export const num = (v: unknown): number => (v instanceof PyFloat ? v.value : typeof v === 'boolean' ? Number(v) : (v as number));
/** A float result: integral values are wrapped so they keep printing as floats. */
export const float = (n: number): number | PyFloat => (Number.isInteger(n) ? new PyFloat(n) : n);

export function typeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (isInt(v)) return 'int';
  if (isFloat(v)) return 'float';
  if (v instanceof PyTuple) return 'tuple';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'dict';
  if (v instanceof Undefined) return 'AnsibleUndefined';
  if (v instanceof Namespace) return 'Namespace';
  if (isCallable(v)) return 'function';
  return 'object';
}

/** How jinja2 names a value's type in "… has no attribute" messages. */
export function objectTypeRepr(v: unknown): string {
  return v === null ? 'None' : `${typeName(v)} object`;
}

export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  // Shortest round-tripping digits (as Python's repr), laid out by Python's rule:
  // positional for exponents -4 … 15, scientific otherwise.
  const [mant, expText] = Math.abs(n).toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const digits = mant.replace('.', '');
  const sign = n < 0 ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

export function intRepr(n: number): string {
  // Beyond 2**53 JS has no exact integers: the double's exact value (2**64 prints right).
  return Math.abs(n) <= Number.MAX_SAFE_INTEGER ? String(n) : BigInt(n).toString();
}

export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if ((c >= 0x80 && c <= 0xa0) || c === 0xad) out += `\\x${c.toString(16)}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's repr(). */
export function repr(v: unknown, depth = 0): string {
  if (depth > 200) return '...';
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return strRepr(v);
  if (typeof v === 'number') return Number.isInteger(v) ? intRepr(v) : floatRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (v instanceof PyTuple) {
    const items = v.map((x) => repr(x, depth + 1));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (Array.isArray(v)) return `[${v.map((x) => repr(x, depth + 1)).join(', ')}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${repr(k, depth + 1)}: ${repr(x, depth + 1)}`).join(', ')}}`;
  if (v instanceof Undefined) return v.fail();
  if (v instanceof Namespace) return `<Namespace ${repr(new Map(v.attrs))}>`;
  if (isCallable(v)) return `<function ${v.callableName}>`;
  if (typeof v === 'object' && v !== null && 'pyRepr' in v && typeof v.pyRepr === 'function') return String(v.pyRepr());
  return String(v);
}

/** Python's str(): what `{{ }}` prints (None is printed as nothing by Ansible's finalize, not here). */
export function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && 'pyStr' in v && typeof v.pyStr === 'function') return String(v.pyStr());
  if (v instanceof Undefined) return v.lenient ? '' : v.fail();
  return repr(v);
}

/** Python truthiness; an undefined value has none (StrictUndefined). */
export function truthy(v: unknown): boolean {
  if (v === null || v === false || v === '' || v === 0) return false;
  if (v === true) return true;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  if (v instanceof Undefined) return v.lenient ? false : v.fail();
  return true;
}

/** Python ==, with Undefined raising as StrictUndefined does. */
export function eq(a: unknown, b: unknown): boolean {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  if (a === b) return true;
  if (isNumber(a) || typeof a === 'boolean') return (isNumber(b) || typeof b === 'boolean') && num(a) === num(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a instanceof PyTuple !== b instanceof PyTuple || a.length !== b.length) return false;
    return a.every((x, i) => eq(x, b[i]));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(dictKey(k)) || !eq(v, b.get(dictKey(k)))) return false;
    return true;
  }
  return false;
}

/** A value as a Map key: integral floats and booleans key as the int they equal (Python hashing). */
export function dictKey(k: unknown): unknown {
  if (k instanceof PyFloat) return Number.isInteger(k.value) ? k.value : k.value;
  return k;
}

/** d[key] = value, with Python's equal keys (True and 1, 1.0 and 1) sharing one entry, the first key kept. */
export function setKey(d: Map<unknown, unknown>, key: unknown, value: unknown): void {
  const k = dictKey(key);
  if (typeof k === 'boolean' || typeof k === 'number') {
    const twin = typeof k === 'boolean' ? Number(k) : k === 1 ? true : k === 0 ? false : undefined;
    if (twin !== undefined && !d.has(k) && d.has(twin)) {
      d.set(twin, value);
      return;
    }
  }
  d.set(k, value);
}

/** Python's <, with its TypeError for unorderable pairs. */
export function lessThan(a: unknown, b: unknown, op = '<'): boolean {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  if ((isNumber(a) || typeof a === 'boolean') && (isNumber(b) || typeof b === 'boolean')) return num(a) < num(b);
  if (typeof a === 'string' && typeof b === 'string') return codepointLess(a, b);
  if (Array.isArray(a) && Array.isArray(b) && a instanceof PyTuple === b instanceof PyTuple) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!eq(a[i], b[i])) return lessThan(a[i], b[i], op);
    }
    return a.length < b.length;
  }
  throw typeError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

function codepointLess(a: string, b: string): boolean {
  // JS compares UTF-16 units; Python compares code points. They differ only past the BMP.
  return a < b;
}

/** Python's ordering as a comparator (sort, min, max); raises on unorderable values. */
export function compare(a: unknown, b: unknown): number {
  return lessThan(a, b) ? -1 : lessThan(b, a) ? 1 : 0;
}

/** Converts host data (plain objects, arrays, YAML maps) into template values. */
export function fromJS(v: unknown, seen = new Map<object, unknown>()): unknown {
  if (v === undefined) return new Undefined('undefined');
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'function' || typeof v === 'symbol') return null;
    return v;
  }
  if (v instanceof PyFloat || v instanceof Undefined || v instanceof Namespace || isCallable(v)) return v;
  // The engine's own objects (datetimes, …) pass as they are; data never carries functions.
  if (typeof (v as { pyAttr?: unknown }).pyAttr === 'function') return v;
  const known = seen.get(v);
  if (known !== undefined) return known;
  if (Array.isArray(v)) {
    const out: unknown[] = v instanceof PyTuple ? new PyTuple() : [];
    seen.set(v, out);
    for (const x of v) out.push(fromJS(x, seen));
    return out;
  }
  if (v instanceof Date) return v.toISOString();
  const out = new Map<unknown, unknown>();
  seen.set(v, out);
  if (v instanceof Map) for (const [k, x] of v) out.set(dictKey(fromJS(k, seen)), fromJS(x, seen));
  else for (const k of Object.keys(v)) out.set(k, fromJS((v as Record<string, unknown>)[k], seen));
  return out;
}

/** Template values back into plain JS (Maps with string keys become objects). */
export function toJS(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toJS);
  if (v instanceof Map) {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, x] of v) out[typeof k === 'string' ? k : str(k)] = toJS(x);
    return out;
  }
  if (v instanceof Undefined) return v.fail();
  if (v instanceof Namespace) return toJS(new Map(v.attrs));
  return v;
}
