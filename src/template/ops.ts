// Python's operators on template values, with Python's results and TypeError messages:
// int op int stays int (except /), a float anywhere makes a float, + joins strs, lists and
// tuples, * repeats them, % on a str is printf-style formatting (format.ts).
import { PyError, typeError } from './errors.ts';
import { percentFormat } from './format.ts';
import { LIMITS } from './limits.ts';
import { eq, float, isDict, isFloat, isNumber, num, PyTuple, str, typeName, Undefined } from './values.ts';

const isNum = (v: unknown) => isNumber(v) || typeof v === 'boolean';
const bothInt = (a: unknown, b: unknown) => !isFloat(a) && !isFloat(b);

function unsupported(op: string, a: unknown, b: unknown): never {
  throw typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function zero(message: string): never {
  throw new PyError('ZeroDivisionError', message);
}

function repeat<T>(seq: T[] | string, times: number): T[] | string {
  const n = Math.max(0, Math.trunc(times));
  if (seq.length * n > LIMITS.valueChars) throw new PyError('MemoryError', `a value over ${LIMITS.valueChars} characters (the limit)`);
  if (typeof seq === 'string') return seq.repeat(n);
  const out: T[] = seq instanceof PyTuple ? (new PyTuple() as unknown as T[]) : [];
  for (let i = 0; i < n; i++) out.push(...seq);
  return out;
}

function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

export function binop(op: string, a: unknown, b: unknown): unknown {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  switch (op) {
    case '~': {
      const s = str(a) + str(b);
      if (s.length > LIMITS.valueChars) throw new PyError('MemoryError', `a value over ${LIMITS.valueChars} characters (the limit)`);
      return s;
    }
    case '+':
      if (isNum(a) && isNum(b)) return bothInt(a, b) ? num(a) + num(b) : float(num(a) + num(b));
      if (typeof a === 'string') {
        if (typeof b !== 'string') throw typeError(`can only concatenate str (not "${typeName(b)}") to str`);
        if (a.length + b.length > LIMITS.valueChars) throw new PyError('MemoryError', `a value over ${LIMITS.valueChars} characters (the limit)`);
        return a + b;
      }
      if (Array.isArray(a)) {
        const tuple = a instanceof PyTuple;
        if (!Array.isArray(b) || tuple !== b instanceof PyTuple) {
          throw typeError(`can only concatenate ${tuple ? 'tuple' : 'list'} (not "${typeName(b)}") to ${tuple ? 'tuple' : 'list'}`);
        }
        return tuple ? PyTuple.from2([...a, ...b]) : [...a, ...b];
      }
      return unsupported('+', a, b);
    case '-':
      if (isNum(a) && isNum(b)) return bothInt(a, b) ? num(a) - num(b) : float(num(a) - num(b));
      return unsupported('-', a, b);
    case '*':
      if (isNum(a) && isNum(b)) return bothInt(a, b) ? num(a) * num(b) : float(num(a) * num(b));
      if ((typeof a === 'string' || Array.isArray(a)) && isNum(b) && !isFloat(b)) return repeat(a, num(b));
      if ((typeof b === 'string' || Array.isArray(b)) && isNum(a) && !isFloat(a)) return repeat(b, num(a));
      if (typeof a === 'string' || Array.isArray(a) || typeof b === 'string' || Array.isArray(b)) {
        throw typeError(`can't multiply sequence by non-int of type '${typeName(typeof a === 'string' || Array.isArray(a) ? b : a)}'`);
      }
      return unsupported('*', a, b);
    case '/':
      if (isNum(a) && isNum(b)) {
        if (num(b) === 0) zero('division by zero');
        return float(num(a) / num(b));
      }
      return unsupported('/', a, b);
    case '//':
      if (isNum(a) && isNum(b)) {
        if (num(b) === 0) zero(bothInt(a, b) ? 'integer division or modulo by zero' : 'float floor division by zero');
        const q = Math.floor(num(a) / num(b));
        return bothInt(a, b) ? q + 0 : float(q); // + 0: an int is never -0
      }
      return unsupported('//', a, b);
    case '%':
      if (typeof a === 'string') return percentFormat(a, b);
      if (isNum(a) && isNum(b)) {
        if (num(b) === 0) zero(bothInt(a, b) ? 'integer modulo by zero' : 'float modulo');
        const r = pyMod(num(a), num(b));
        return bothInt(a, b) ? r + 0 : float(r);
      }
      return unsupported('%', a, b);
    case '**':
      if (isNum(a) && isNum(b)) {
        const r = num(a) ** num(b);
        return bothInt(a, b) && num(b) >= 0 ? r : float(r);
      }
      return unsupported('** or pow()', a, b);
  }
  throw typeError(`unknown operator ${op}`);
}

export function negate(v: unknown, sign: '-' | '+'): unknown {
  if (v instanceof Undefined) v.fail();
  if (!isNum(v)) throw typeError(`bad operand type for unary ${sign}: '${typeName(v)}'`);
  const n = sign === '-' ? -num(v) : num(v);
  return isFloat(v) ? float(n) : n;
}

/** Python's `item in container`. */
export function contains(container: unknown, item: unknown): boolean {
  if (container instanceof Undefined) container.fail();
  if (item instanceof Undefined) item.fail();
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw typeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => eq(x, item));
  if (isDict(container)) {
    if (container.has(item)) return true;
    if (isNumber(item)) return container.has(num(item));
    return false;
  }
  throw typeError(`argument of type '${typeName(container)}' is not iterable`);
}
