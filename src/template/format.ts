// Python's two string formatting languages: printf-style (`'%s:%d' % (a, b)`, the `format`
// filter) and str.format (`'{}:{:>5}'.format(a, b)`), for the conversions roles use.
import { PyError, typeError, valueError } from './errors.ts';
import { floatRepr, isDict, isFloat, isInt, isNumber, num, PyTuple, repr, str, typeName } from './values.ts';

/** Python's exponent notation: at least two exponent digits. */
function expo(n: number, precision: number, upper: boolean): string {
  const s = n.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');
  return upper ? s.toUpperCase() : s;
}

function general(n: number, precision: number, alt: boolean, upper: boolean): string {
  if (!Number.isFinite(n)) return upper ? floatRepr(n).toUpperCase() : floatRepr(n);
  const p = precision === 0 ? 1 : precision;
  const exp = n === 0 ? 0 : Number(n.toExponential(p - 1).split('e')[1]);
  let s = exp >= -4 && exp < p ? n.toFixed(Math.max(0, p - 1 - exp)) : expo(n, p - 1, upper);
  if (!alt) s = s.replace(/\.?0+(?=e|E|$)/, (m) => (s.includes('.') ? '' : m));
  return s;
}

/**
 * n with `precision` decimals as Python writes it: the binary value's exact digits rounded
 * to nearest, exact ties to even (toFixed would round 2.5 up to 3; Python writes 2).
 */
export function fixedDigits(n: number, precision: number): string {
  const p = Math.max(0, Math.min(60, precision));
  const exact = Math.abs(n).toFixed(Math.min(100, p + 40));
  const cut = exact.indexOf('.') + 1 + p;
  let s = n.toFixed(p);
  if (/^50*$/.test(exact.slice(cut))) {
    const kept = exact.slice(0, p === 0 ? cut - 1 : cut);
    if (Number(kept[kept.length - 1]) % 2 === 0) s = (n < 0 ? '-' : '') + kept;
  }
  return s;
}

function fixed(n: number, precision: number, upper: boolean): string {
  if (!Number.isFinite(n)) return upper ? floatRepr(n).toUpperCase() : floatRepr(n);
  // toFixed goes exponential past 1e21; Python does not.
  if (Math.abs(n) >= 1e21) return BigInt(Math.round(n)).toString() + (precision ? `.${'0'.repeat(precision)}` : '');
  return fixedDigits(n, precision);
}

function toNumber(v: unknown, conv: string): number {
  if (isNumber(v) || typeof v === 'boolean') return num(v);
  throw typeError(`%${conv} format: a real number is required, not ${typeName(v)}`);
}

function convert(v: unknown, conv: string, precision: number | undefined, alt: boolean): string {
  switch (conv) {
    case 's':
      return precision === undefined ? str(v) : str(v).slice(0, precision);
    case 'r':
    case 'a':
      return precision === undefined ? repr(v) : repr(v).slice(0, precision);
    case 'd':
    case 'i':
    case 'u': {
      if (!(isNumber(v) || typeof v === 'boolean')) throw typeError(`%${conv} format: a real number is required, not ${typeName(v)}`);
      return String(Math.trunc(num(v)));
    }
    case 'x':
    case 'X':
    case 'o': {
      if (!isInt(v) && typeof v !== 'boolean') throw typeError(`%${conv} format: an integer is required, not ${typeName(v)}`);
      const s = Math.abs(num(v)).toString(conv === 'o' ? 8 : 16);
      const body = (alt ? (conv === 'o' ? '0o' : '0x') : '') + s;
      return (num(v) < 0 ? '-' : '') + (conv === 'X' ? body.toUpperCase() : body);
    }
    case 'e':
    case 'E':
      return expo(toNumber(v, conv), precision ?? 6, conv === 'E');
    case 'f':
    case 'F':
      return fixed(toNumber(v, conv), precision ?? 6, conv === 'F');
    case 'g':
    case 'G':
      return general(toNumber(v, conv), precision ?? 6, alt, conv === 'G');
    case 'c':
      return typeof v === 'string' ? v : String.fromCodePoint(num(v));
  }
  throw valueError(`unsupported format character '${conv}'`);
}

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (s.length >= width) return s;
  if (left) return s.padEnd(width);
  if (zero) {
    const sign = /^[-+ ]/.test(s) ? s[0]! : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  }
  return s.padStart(width);
}

/** `fmt % args`, as Python's str.__mod__. */
export function percentFormat(fmt: string, args: unknown): string {
  const positional = args instanceof PyTuple ? [...args] : [args];
  const mapping = isDict(args) ? args : null;
  let next = 0;
  let usedMapping = false;
  const take = (): unknown => {
    if (next >= positional.length) throw typeError('not enough arguments for format string');
    return positional[next++];
  };
  const out = fmt.replace(/%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([hlL]?)([a-zA-Z%])/g, (_all, key: string | undefined, flags: string, w: string | undefined, p: string | undefined, _len, conv: string) => {
    if (conv === '%' && key === undefined) return '%';
    const width = w === '*' ? num(take()) : w === undefined ? 0 : Number(w);
    const precision = p === '*' ? num(take()) : p === undefined ? undefined : Number(p);
    let v: unknown;
    if (key !== undefined) {
      if (!mapping) throw typeError('format requires a mapping');
      usedMapping = true;
      if (!mapping.has(key)) throw new PyError('KeyError', repr(key));
      v = mapping.get(key);
    } else v = take();
    let s = convert(v, conv, precision, flags.includes('#'));
    if (/[diueEfFgGxXo]/.test(conv) && !s.startsWith('-')) {
      if (flags.includes('+')) s = `+${s}`;
      else if (flags.includes(' ')) s = ` ${s}`;
    }
    return pad(s, width, flags.includes('-'), flags.includes('0') && /[diueEfFgGxXo]/.test(conv));
  });
  if (!usedMapping && !mapping && next < positional.length) throw typeError('not all arguments converted during string formatting');
  return out;
}

/** Python's format(value, spec): [[fill]align][sign][#][0][width][,_][.precision][type]. */
export function formatSpec(v: unknown, spec: string): string {
  const m = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s.exec(spec);
  if (!m) throw valueError(`Invalid format specifier '${spec}' for object of type '${typeName(v)}'`);
  const [, fillChar, align0, sign, alt, zero, w, group, p, type0] = m;
  const width = w ? Number(w) : 0;
  const precision = p === undefined ? undefined : Number(p);
  const numeric = isNumber(v) || typeof v === 'boolean';
  let type = type0;
  let s: string;
  if (!numeric) {
    if (type && type !== 's') throw valueError(`Unknown format code '${type}' for object of type '${typeName(v)}'`);
    s = str(v);
    if (precision !== undefined) s = s.slice(0, precision);
  } else {
    const n = num(v);
    if (!type) type = isFloat(v) ? (precision === undefined ? '' : 'g') : 'd';
    if (type === '') s = floatRepr(n);
    else if (type === 'd' || type === 'n') {
      if (isFloat(v)) throw valueError(`Unknown format code 'd' for object of type 'float'`);
      s = String(Math.abs(n));
    } else if (type === '%') s = `${fixed(Math.abs(n) * 100, precision ?? 6, false)}%`;
    else if ('bxXo'.includes(type)) s = (alt ? `0${type === 'X' ? 'X' : type}` : '') + Math.abs(n).toString(type === 'b' ? 2 : type === 'o' ? 8 : 16);
    else if (type === 'X') s = Math.abs(n).toString(16).toUpperCase();
    else s = convert(Math.abs(n), type, precision, Boolean(alt));
    if (type === 'X') s = s.toUpperCase();
    if (group) s = s.replace(/^(\d+)/, (d) => d.replace(/\B(?=(\d{3})+$)/g, group));
    if (type !== '' && type !== 'd' && n < 0) s = `-${s}`;
    else if (n < 0) s = `-${s}`;
    else if (sign === '+') s = `+${s}`;
    else if (sign === ' ') s = ` ${s}`;
  }
  const fill = fillChar ?? (zero && !align0 ? '0' : ' ');
  const align = align0 ?? (zero ? '=' : numeric ? '>' : '<');
  if (s.length >= width) return s;
  const gap = width - s.length;
  if (align === '<') return s + fill.repeat(gap);
  if (align === '>') return fill.repeat(gap) + s;
  if (align === '^') return fill.repeat(Math.floor(gap / 2)) + s + fill.repeat(Math.ceil(gap / 2));
  const signChar = /^[-+ ]/.test(s) ? s[0]! : '';
  return signChar + fill.repeat(gap) + s.slice(signChar.length);
}

/** str.format(*args, **kwargs), with field names, indexes, attributes, !r/!s and specs. */
export function strFormat(fmt: string, args: unknown[], kwargs: Map<string, unknown>, getattr: (obj: unknown, attr: string) => unknown, getitem: (obj: unknown, key: unknown) => unknown): string {
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::((?:[^{}]|\{[^{}]*\})*))?\}/g, (all, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
    if (all === '{{') return '{';
    if (all === '}}') return '}';
    const path = /^([^.[]*)(.*)$/.exec(field ?? '')!;
    let v: unknown;
    if (path[1] === '') {
      if (auto >= args.length) throw new PyError('IndexError', `Replacement index ${auto} out of range for positional args tuple`);
      v = args[auto++];
    } else if (/^\d+$/.test(path[1]!)) {
      const i = Number(path[1]);
      if (i >= args.length) throw new PyError('IndexError', `Replacement index ${i} out of range for positional args tuple`);
      v = args[i];
    } else {
      if (!kwargs.has(path[1]!)) throw new PyError('KeyError', repr(path[1]));
      v = kwargs.get(path[1]!);
    }
    for (const part of path[2]!.matchAll(/\.([^.[]+)|\[([^\]]+)\]/g)) {
      v = part[1] !== undefined ? getattr(v, part[1]) : getitem(v, /^\d+$/.test(part[2]!) ? Number(part[2]) : part[2]);
    }
    if (conv === 'r' || conv === 'a') v = repr(v);
    else if (conv === 's') v = str(v);
    const resolvedSpec = (spec ?? '').replace(/\{([^{}]*)\}/g, (_m, f: string) => str(f === '' ? args[auto++] : /^\d+$/.test(f) ? args[Number(f)] : kwargs.get(f)));
    return formatSpec(v, resolvedSpec);
  });
}
