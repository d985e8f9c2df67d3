// Which host variables a template reads: for `tend validate` (a variable defined nowhere)
// and for choosing which facts to gather. Names the template binds itself (set, for,
// macro parameters, imports) and Jinja2's globals are not host variables.
// "Required" leaves out names read only where undefined is expected: under
// `is defined`/`is undefined`/`is none`, as the subject of `default`/`d`, and inside an
// `{% if NAME is defined %}` branch for that NAME.
import type { Expr, Stmt, Target } from './ast.ts';

const GLOBALS = new Set(['range', 'dict', 'namespace', 'cycler', 'joiner', 'lipsum', 'undef', 'lookup', 'query', 'q', 'now', 'loop', 'varargs', 'kwargs', 'caller', 'super', 'self']);
const GUARD_TESTS = new Set(['defined', 'undefined', 'none', 'ansible.builtin.defined', 'ansible.builtin.undefined']);
const DEFAULT_FILTERS = new Set(['default', 'd', 'ansible.builtin.default']);

function targetNames(t: Target, into: Set<string>): void {
  if (t.k === 'name' || t.k === 'nsattr') into.add(t.name);
  else t.items.forEach((i) => targetNames(i, into));
}

/** The root variable an expression reads (`a.b[c]` → a), when it is a plain path. */
function rootName(e: Expr): string | null {
  if (e.k === 'name') return e.name;
  if (e.k === 'getattr' || e.k === 'getitem') return rootName(e.node);
  return null;
}

/** Names an `if` test guarantees defined: `x is defined`, `a.b is defined and …`. */
function guarded(e: Expr, into: Set<string>): void {
  if (e.k === 'test' && !e.negated && (e.name === 'defined' || e.name === 'ansible.builtin.defined')) {
    const root = rootName(e.node);
    if (root) into.add(root);
  } else if (e.k === 'and') {
    guarded(e.left, into);
    guarded(e.right, into);
  }
}

export function referencedNames(body: Stmt[], requiredOnly: boolean): string[] {
  const bound = new Set<string>();
  const found: string[] = [];
  const expr = (e: Expr | null, guards: Set<string>): void => {
    if (!e) return;
    switch (e.k) {
      case 'name':
        if (!guards.has(e.name)) found.push(e.name);
        return;
      case 'test':
        if (requiredOnly && GUARD_TESTS.has(e.name)) return;
        expr(e.node, guards);
        break;
      case 'filter':
        if (!(requiredOnly && DEFAULT_FILTERS.has(e.name))) expr(e.node, guards);
        break;
      case 'getattr':
      case 'not':
      case 'neg':
      case 'pos':
        return expr(e.node, guards);
      case 'getitem':
        expr(e.node, guards);
        return expr(e.arg, guards);
      case 'call':
        expr(e.node, guards);
        break;
      case 'binop':
      case 'and':
      case 'or':
        expr(e.left, guards);
        return expr(e.right, guards);
      case 'compare':
        expr(e.first, guards);
        return e.ops.forEach((o) => expr(o.expr, guards));
      case 'cond':
        expr(e.test, guards);
        expr(e.then, guards);
        return expr(e.else, guards);
      case 'list':
      case 'tuple':
        return e.items.forEach((i) => expr(i, guards));
      case 'dict':
        return e.items.forEach(([k, v]) => (expr(k, guards), expr(v, guards)));
      case 'slice':
        return [e.start, e.stop, e.step].forEach((x) => expr(x, guards));
      case 'const':
        return;
    }
    if ('args' in e) {
      e.args.args.forEach((a) => expr(a, guards));
      e.args.kwargs.forEach(([, a]) => expr(a, guards));
      expr(e.args.star, guards);
      expr(e.args.starstar, guards);
    }
  };
  const stmts = (list: Stmt[], guards: Set<string>): void => {
    for (const s of list) {
      switch (s.k) {
        case 'output':
          expr(s.expr, guards);
          break;
        case 'if':
          for (const b of s.branches) {
            expr(b.test, guards);
            const inner = new Set(guards);
            if (requiredOnly) guarded(b.test, inner);
            stmts(b.body, inner);
          }
          stmts(s.else, guards);
          break;
        case 'for':
          targetNames(s.target, bound);
          expr(s.iter, guards);
          expr(s.filter, guards);
          stmts(s.body, guards);
          stmts(s.else, guards);
          break;
        case 'set':
          targetNames(s.target, bound);
          expr(s.expr, guards);
          break;
        case 'setblock':
          targetNames(s.target, bound);
          stmts(s.body, guards);
          break;
        case 'macro':
          bound.add(s.def.name);
          s.def.params.forEach((p) => bound.add(p));
          s.def.defaults.forEach((d) => expr(d, guards));
          stmts(s.def.body, guards);
          break;
        case 'callblock':
          s.def.params.forEach((p) => bound.add(p));
          expr(s.call, guards);
          stmts(s.def.body, guards);
          break;
        case 'filterblock':
          expr(s.filters, guards);
          stmts(s.body, guards);
          break;
        case 'with':
          s.targets.forEach((t) => targetNames(t, bound));
          s.values.forEach((v) => expr(v, guards));
          stmts(s.body, guards);
          break;
        case 'include':
        case 'extends':
          expr(s.template, guards);
          break;
        case 'import':
          bound.add(s.target);
          break;
        case 'fromimport':
          s.names.forEach(([, alias]) => bound.add(alias));
          break;
        case 'block':
          stmts(s.body, guards);
          break;
        case 'data':
          break;
      }
    }
  };
  stmts(body, new Set());
  return [...new Set(found.filter((n) => !bound.has(n) && !GLOBALS.has(n)))];
}
