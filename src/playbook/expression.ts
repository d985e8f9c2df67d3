// The expression language's evaluation (its grammar, tokens and parser are in
// expression-parse.ts; the language is described there).
import { checkSize, ExpressionError, parse, UNDEFINED, type Lookup, type Node, type Value } from './expression-parse.ts';

export { checkSize, ExpressionError, FILTERS, parse, UNDEFINED, ValueTooLarge, type Lookup, type Value } from './expression-parse.ts';

/** A value that is not there, carrying the path that named it (for the error). */
class Missing {
  constructor(readonly path: string) {}
}

function strict(v: Value, expr: string): Value {
  if (v instanceof Missing) throw new ExpressionError(`'${v.path}' is undefined (in '${expr}')`);
  return v;
}

export function toText(v: Value): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    checkSize('its text', v);
    return JSON.stringify(v);
  }
  return String(v);
}

/** Evaluates `expr` against `lookup`; an undefined variable used as a value is an error. */
export function evaluate(expr: string, lookup: Lookup, shown = expr.trim()): Value {
  return strict(run(parse(expr, shown), lookup, shown), shown);
}

/** A condition's truth, as Jinja2 sees it: empty strings, lists and maps, 0 and none are false. */
export function truthy(v: Value): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

function run(node: Node, lookup: Lookup, expr: string): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'list': {
      const items = node.items.map((n) => strict(run(n, lookup, expr), expr));
      checkSize(`the list in '${expr}'`, ...items);
      return items;
    }
    case 'var': {
      const v = lookup(node.name);
      return v === UNDEFINED ? new Missing(node.name) : v;
    }
    case 'member': {
      const object = run(node.object, lookup, expr);
      if (object instanceof Missing) return new Missing(node.text);
      const key = strict(run(node.key, lookup, expr), expr);
      if (object !== null && typeof object === 'object' && Object.hasOwn(object, String(key))) return (object as Record<string, Value>)[String(key)];
      return new Missing(node.text);
    }
    case 'filter':
      return filter(node.name, run(node.subject, lookup, expr), node.args.map((a) => strict(run(a, lookup, expr), expr)), expr);
    case 'not':
      return !truthy(strict(run(node.operand, lookup, expr), expr));
    case 'logic': {
      const left = truthy(strict(run(node.left, lookup, expr), expr));
      if (node.op === 'and' ? !left : left) return left;
      return truthy(strict(run(node.right, lookup, expr), expr));
    }
    case 'test': {
      const v = run(node.subject, lookup, expr);
      const result = node.test === 'defined' ? !(v instanceof Missing) : node.test === 'undefined' ? v instanceof Missing : strict(v, expr) === null;
      return node.negated ? !result : result;
    }
    case 'compare':
      return compare(node.op, strict(run(node.left, lookup, expr), expr), strict(run(node.right, lookup, expr), expr), expr);
    case 'math':
      return math(node.op, strict(run(node.left, lookup, expr), expr), strict(run(node.right, lookup, expr), expr), expr);
    case 'negate': {
      const v = strict(run(node.operand, lookup, expr), expr);
      if (typeof v !== 'number') throw new ExpressionError(`in '${expr}': cannot negate ${describe(v)}`);
      return -v;
    }
  }
}

function math(op: string, a: Value, b: Value, expr: string): Value {
  const joined = () => checkSize(`'${expr}'`, a, b);
  if (op === '~') return (joined(), toText(a) + toText(b));
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return (joined(), a + b);
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return (joined(), [...a, ...b]);
  if (typeof a !== 'number' || typeof b !== 'number') throw new ExpressionError(`in '${expr}': cannot compute ${describe(a)} ${op} ${describe(b)}`);
  if ((op === '/' || op === '//' || op === '%') && b === 0) throw new ExpressionError(`in '${expr}': division by zero`);
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '//':
      return Math.floor(a / b);
    default:
      return a - b * Math.floor(a / b);
  }
}

function compare(op: string, a: Value, b: Value, expr: string): boolean {
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case 'in':
    case 'not in': {
      let found: boolean;
      if (typeof b === 'string') found = b.includes(toText(a));
      else if (Array.isArray(b)) found = b.some((x) => equal(x, a));
      else if (b !== null && typeof b === 'object') found = Object.hasOwn(b, toText(a));
      else throw new ExpressionError(`in '${expr}': '${op}' needs a list, a map or a text on its right`);
      return op === 'in' ? found : !found;
    }
    default: {
      const bothNumbers = typeof a === 'number' && typeof b === 'number';
      const bothText = typeof a === 'string' && typeof b === 'string';
      if (!bothNumbers && !bothText) {
        throw new ExpressionError(`in '${expr}': cannot order ${describe(a)} and ${describe(b)} (use | int to compare numbers written as text)`);
      }
      const x = a as number | string;
      const y = b as number | string;
      return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
    }
  }
}

function describe(v: Value): string {
  if (v === null) return 'none';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a map' : `${typeof v === 'string' ? 'text' : typeof v} ${JSON.stringify(v)}`;
}

function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function filter(name: string, v: Value, args: Value[], expr: string): Value {
  // As in Jinja2: for an undefined value (and with a second argument true, any false one); none stays none.
  if (name === 'default' || name === 'd') return v instanceof Missing || (args[1] === true && !truthy(v)) ? args[0] : v;
  const value = strict(v, expr);
  switch (name) {
    case 'lower':
      return toText(value).toLowerCase();
    case 'upper':
      return toText(value).toUpperCase();
    case 'string':
      return toText(value);
    case 'int': {
      const n = Number.parseInt(toText(value), 10);
      return Number.isNaN(n) ? 0 : n;
    }
    case 'bool':
      return typeof value === 'boolean' ? value : ['yes', 'true', '1', 'on', 'y'].includes(toText(value).toLowerCase());
    case 'length':
      if (typeof value === 'string' || Array.isArray(value)) return value.length;
      if (value !== null && typeof value === 'object') return Object.keys(value).length;
      throw new ExpressionError(`in '${expr}': length needs a text, a list or a map`);
    case 'join':
      if (!Array.isArray(value)) throw new ExpressionError(`in '${expr}': join needs a list`);
      checkSize(`'${expr}'`, ...value, ...value.map(() => args[0] ?? ''));
      return value.map(toText).join(args[0] === undefined ? '' : toText(args[0]));
    case 'fqdn': {
      // tend's own: a host name as is when it has a dot, else completed with the domain given.
      const host = toText(value);
      return host.includes('.') || args[0] === undefined ? host : `${host}.${toText(args[0])}`;
    }
  }
  throw new ExpressionError(`in '${expr}': unknown filter '${name}'`);
}

/**
 * Variables `expr` needs defined: every name it reads, except under `is defined` /
 * `is undefined` tests and as the subject of `default` (where undefined is the point).
 */
export function requiredVariables(expr: string): string[] {
  const names: string[] = [];
  const walk = (n: Node): void => {
    switch (n.kind) {
      case 'var':
        names.push(n.name);
        return;
      case 'list':
        n.items.forEach(walk);
        return;
      case 'member':
        walk(n.object);
        walk(n.key);
        return;
      case 'filter':
        if (n.name !== 'default' && n.name !== 'd') walk(n.subject);
        n.args.forEach(walk);
        return;
      case 'not':
        walk(n.operand);
        return;
      case 'logic':
      case 'compare':
      case 'math':
        walk(n.left);
        walk(n.right);
        return;
      case 'negate':
        walk(n.operand);
        return;
      case 'test':
        if (n.test === 'none') walk(n.subject);
        return;
      case 'literal':
        return;
    }
  };
  walk(parse(expr));
  return [...new Set(names)];
}

/** Every variable name `expr` reads, guarded or not (which facts a playbook uses). */
export function referencedVariables(expr: string): string[] {
  const names: string[] = [];
  const walk = (n: Node): void => {
    if (n.kind === 'var') names.push(n.name);
    else if (n.kind === 'list') n.items.forEach(walk);
    else if (n.kind === 'member') [n.object, n.key].forEach(walk);
    else if (n.kind === 'filter') [n.subject, ...n.args].forEach(walk);
    else if (n.kind === 'not' || n.kind === 'negate') walk(n.operand);
    else if (n.kind === 'logic' || n.kind === 'compare' || n.kind === 'math') [n.left, n.right].forEach(walk);
    else if (n.kind === 'test') walk(n.subject);
  };
  walk(parse(expr));
  return [...new Set(names)];
}
