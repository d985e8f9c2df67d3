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

export type Node =
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
