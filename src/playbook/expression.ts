// The expression language of `{{ }}` templates and `when:` conditions, a strict subset
// of Jinja2 as Ansible users write it:
//   literals     'text' "text" 42 1.5 true false none [a, b]
//   variables    name  a.b  a['b']  a[0]  a[b]
//   filters      x | default(y) | lower | upper | string | int | bool | join(sep) | length | fqdn(domain)
//   arithmetic   + - * / // % (numbers; + joins texts and lists)  ~ (joins as text)
//   comparisons  == != < > <= >=   in  not in
//   tests        x is defined  x is not defined  x is undefined  x is none
//   logic        not x   x and y   x or y   ( … )
// Precedence, loosest first: or, and, not, comparisons and tests, + - ~, * / // %, unary -,
// filters, member access (as in Jinja2).
// An undefined variable is an error wherever its value is used; `is defined` and
// `default` are the two places where it may be undefined.
// Limits (limits.ts): nesting and operator chains are bounded while parsing, so the parser
// and the evaluator (both recursive) never run out of stack; every value an expression
// makes is bounded in size before it is built.
import { LIMITS, sizeWithin } from './limits.ts';

export class ExpressionError extends Error {}

/** A value over LIMITS.valueBytes, refused before it is built; `variable` names whose value it was. */
export class ValueTooLarge extends ExpressionError {
  constructor(
    readonly what: string,
    readonly variable?: string,
  ) {
    super(`${variable === undefined ? '' : `variable '${variable}': `}${what} would be larger than ${LIMITS.valueBytes / 1024 / 1024} MiB (the limit on a value)`);
  }
}

/** Throws ValueTooLarge unless `values`, written out one after another, stay within the limit. */
export function checkSize(what: string, ...values: Value[]): void {
  let total = 0;
  for (const v of values) {
    total += sizeWithin(v);
    if (total > LIMITS.valueBytes) throw new ValueTooLarge(what);
  }
}

export type Value = unknown;
export type Lookup = (name: string) => Value;

/** What a lookup returns for a name no layer defines. */
export const UNDEFINED = Symbol('undefined');

type Node =
  | { kind: 'literal'; value: Value }
  | { kind: 'list'; items: Node[] }
  | { kind: 'var'; name: string }
  | { kind: 'member'; object: Node; key: Node; text: string }
  | { kind: 'filter'; subject: Node; name: string; args: Node[] }
  | { kind: 'not'; operand: Node }
  | { kind: 'logic'; op: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'compare'; op: '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not in'; left: Node; right: Node }
  | { kind: 'math'; op: '+' | '-' | '*' | '/' | '//' | '%' | '~'; left: Node; right: Node }
  | { kind: 'negate'; operand: Node }
  | { kind: 'test'; subject: Node; test: 'defined' | 'undefined' | 'none'; negated: boolean };

interface Token {
  type: 'name' | 'string' | 'number' | 'op';
  value: string;
}

export const FILTERS = ['default', 'd', 'lower', 'upper', 'string', 'int', 'bool', 'join', 'length', 'fqdn'];
const TESTS = ['defined', 'undefined', 'none'];

function tokenize(expr: string, shown: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\d+(?:\.\d+)?)|(==|!=|<=|>=|\/\/|[<>.|()[\],+*/%~-]))/y;
  let pos = 0;
  while (pos < expr.length) {
    if (/^\s*$/.test(expr.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(expr);
    if (!m) throw new ExpressionError(`cannot read '${shown}' near '${expr.slice(pos).trim()}'`);
    pos = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ type: 'name', value: m[1] });
    else if (m[2] !== undefined) tokens.push({ type: 'string', value: m[2].replace(/\\(.)/g, '$1') });
    else if (m[3] !== undefined) tokens.push({ type: 'string', value: m[3].replace(/\\(.)/g, '$1') });
    else if (m[4] !== undefined) tokens.push({ type: 'number', value: m[4] });
    else tokens.push({ type: 'op', value: m[5]! });
  }
  return tokens;
}

const parsed = new Map<string, Node>();

/**
 * The expression's syntax tree (cached: a playbook's expressions are read once per host).
 * `shown` is how messages quote it (a template's with its braces).
 */
export function parse(expr: string, shown = expr.trim()): Node {
  const cached = parsed.get(expr);
  if (cached) return cached;
  if (shown.length > 120) shown = `${shown.slice(0, 100)}…`;
  const tokens = tokenize(expr, shown);
  let i = 0;
  // How many sub-expressions enclose the one being read, and each node's height.
  let nesting = 0;
  const heights = new WeakMap<Node, number>();
  const peek = (offset = 0) => tokens[i + offset];
  const isOp = (value: string, offset = 0) => peek(offset)?.type === 'op' && peek(offset)!.value === value;
  const isWord = (value: string, offset = 0) => peek(offset)?.type === 'name' && peek(offset)!.value === value;
  const fail = (what: string): never => {
    const at = peek();
    throw new ExpressionError(`in '${shown}': ${what}${at ? ` at '${at.value}'` : ' at the end'}`);
  };
  const expectOp = (value: string) => (isOp(value) ? i++ : fail(`expected '${value}'`));
  /** Reads a sub-expression one level deeper (parentheses, brackets, arguments, not, minus). */
  const nested = <T>(read: () => T): T => {
    if (++nesting > LIMITS.expressionNesting) fail(`nested more than ${LIMITS.expressionNesting} levels (the limit)`);
    try {
      return read();
    } finally {
      nesting--;
    }
  };
  /** A node, refused when it stands on a chain of more operators than the limit. */
  const node = <N extends Node>(made: N, ...children: Node[]): N => {
    const height = 1 + children.reduce((most, c) => Math.max(most, heights.get(c) ?? 1), 0);
    if (height > LIMITS.expressionChain) fail(`more than ${LIMITS.expressionChain} operators deep (the limit)`);
    heights.set(made, height);
    return made;
  };

  const orExpr = (): Node => {
    let left = andExpr();
    while (isWord('or')) {
      i++;
      const right = andExpr();
      left = node({ kind: 'logic', op: 'or', left, right }, left, right);
    }
    return left;
  };
  const andExpr = (): Node => {
    let left = notExpr();
    while (isWord('and')) {
      i++;
      const right = notExpr();
      left = node({ kind: 'logic', op: 'and', left, right }, left, right);
    }
    return left;
  };
  const notExpr = (): Node => {
    if (isWord('not')) {
      i++;
      const operand = nested(notExpr);
      return node({ kind: 'not', operand }, operand);
    }
    return comparison();
  };
  const comparison = (): Node => {
    const left = additive();
    const t = peek();
    const compared = (op: 'in' | '==') => {
      const right = additive();
      return node({ kind: 'compare', op, left, right }, left, right);
    };
    if (t?.type === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(t.value)) {
      i++;
      return compared(t.value as '==');
    }
    if (isWord('in')) {
      i++;
      return compared('in');
    }
    if (isWord('not') && isWord('in', 1)) {
      i += 2;
      return compared('not in' as 'in');
    }
    if (isWord('is')) {
      i++;
      const negated = isWord('not') ? (i++, true) : false;
      const name = peek();
      if (name?.type !== 'name' || !TESTS.includes(name.value)) fail(`unknown test (known: ${TESTS.join(', ')})`);
      i++;
      return node({ kind: 'test', subject: left, test: name!.value as 'defined', negated }, left);
    }
    return left;
  };
  const additive = (): Node => {
    let left = multiplicative();
    while (isOp('+') || isOp('-') || isOp('~')) {
      const op = tokens[i++]!.value as '+';
      const right = multiplicative();
      left = node({ kind: 'math', op, left, right }, left, right);
    }
    return left;
  };
  const multiplicative = (): Node => {
    let left = unary();
    while (isOp('*') || isOp('/') || isOp('//') || isOp('%')) {
      const op = tokens[i++]!.value as '*';
      const right = unary();
      left = node({ kind: 'math', op, left, right }, left, right);
    }
    return left;
  };
  const unary = (): Node => {
    if (isOp('-')) {
      i++;
      const operand = nested(unary);
      return node({ kind: 'negate', operand }, operand);
    }
    return filtered();
  };
  const filtered = (): Node => {
    let subject = postfix();
    while (isOp('|')) {
      i++;
      const name = peek();
      if (name?.type !== 'name') fail('expected a filter name');
      if (!FILTERS.includes(name!.value)) fail(`unknown filter '${name!.value}' (known: ${FILTERS.filter((f) => f !== 'd').join(', ')})`);
      i++;
      const args: Node[] = [];
      if (isOp('(')) {
        i++;
        while (!isOp(')')) {
          args.push(nested(orExpr));
          if (!isOp(')')) expectOp(',');
        }
        i++;
      }
      subject = node({ kind: 'filter', subject, name: name!.value, args }, subject, ...args);
    }
    return subject;
  };
  const postfix = (): Node => {
    let object = primary();
    let text = object.kind === 'var' ? object.name : '';
    for (;;) {
      if (isOp('.')) {
        i++;
        const key = peek();
        if (key?.type !== 'name' && key?.type !== 'number') fail('expected a name after .');
        i++;
        text += `.${key!.value}`;
        object = node({ kind: 'member', object, key: { kind: 'literal', value: key!.value }, text }, object);
      } else if (isOp('[')) {
        i++;
        const key = nested(orExpr);
        expectOp(']');
        text += key.kind === 'literal' ? `[${JSON.stringify(key.value)}]` : '[…]';
        object = node({ kind: 'member', object, key, text }, object, key);
      } else return object;
    }
  };
  const primary = (): Node => {
    const t = peek();
    if (!t) return fail('expected a value');
    i++;
    if (t.type === 'string') return { kind: 'literal', value: t.value };
    if (t.type === 'number') return { kind: 'literal', value: Number(t.value) };
    if (t.type === 'op' && t.value === '(') {
      const inner = nested(orExpr);
      expectOp(')');
      return inner;
    }
    if (t.type === 'op' && t.value === '[') {
      const items: Node[] = [];
      nested(() => {
        while (!isOp(']')) {
          items.push(orExpr());
          if (!isOp(']')) expectOp(',');
        }
      });
      i++;
      return node({ kind: 'list', items }, ...items);
    }
    if (t.type === 'name') {
      if (t.value === 'true' || t.value === 'True') return { kind: 'literal', value: true };
      if (t.value === 'false' || t.value === 'False') return { kind: 'literal', value: false };
      if (t.value === 'none' || t.value === 'None') return { kind: 'literal', value: null };
      if (['and', 'or', 'not', 'in', 'is'].includes(t.value)) {
        i--;
        return fail('expected a value');
      }
      return { kind: 'var', name: t.value };
    }
    i--;
    return fail('unexpected');
  };

  const tree = orExpr();
  if (i < tokens.length) fail('unexpected');
  parsed.set(expr, tree);
  return tree;
}

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
