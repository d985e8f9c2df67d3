// Expressions evaluated against a scope. Attribute and item access follow Jinja2:
// `a.b` tries a Python attribute (a method) first, then the key; `a['b']` the key first.
// Values only ever expose their data and the methods methods.ts lists, so nothing in JS
// (prototypes, constructors, functions) is reachable from a template.
import type { Args, Expr } from './ast.ts';
import { TemplateError, TemplateLimitError, typeError, UndefinedError } from './errors.ts';
import { LIMITS } from './limits.ts';
import { formatHooks, getMethod } from './methods.ts';
import { hasAttrs, MISSING, SliceValue } from './objects.ts';
import { binop, contains, negate } from './ops.ts';
import { dictKey, eq, setKey, fromJS, isCallable, isDict, isInt, lessThan, Namespace, num, objectTypeRepr, PyTuple, repr, str, truthy, typeName, Undefined } from './values.ts';

export type Lookup = (name: string) => unknown;

export interface FilterDef {
  fn: (ctx: Scope, value: unknown, args: unknown[], kwargs: Map<string, unknown>) => unknown;
  /** Receives undefined values itself (default, mandatory); others fail on them first. */
  undefinedOk?: boolean;
}
export interface TestDef {
  fn: (ctx: Scope, value: unknown, args: unknown[], kwargs: Map<string, unknown>) => boolean;
  undefinedOk?: boolean;
}

/** What every render of every template of one environment shares. */
export interface EnvLike {
  filters: Map<string, FilterDef>;
  tests: Map<string, TestDef>;
  globals: Map<string, unknown>;
}

/** One render: its host lookup, counters against the limits. */
export class RenderState {
  iterations = 0;
  depth = 0;
  outputChars = 0;
  private readonly converted = new Map<object, unknown>();
  private readonly hostCache = new Map<string, unknown>();
  constructor(
    readonly env: EnvLike,
    /** The host's variables, as the caller gave them (lookup plugins read these). */
    readonly lookup: Lookup,
  ) {}
  host(name: string): unknown {
    if (this.hostCache.has(name)) return this.hostCache.get(name);
    const raw = this.lookup(name);
    const v = raw === undefined ? MISSING : fromJS(raw, this.converted);
    this.hostCache.set(name, v);
    return v;
  }
  tick(): void {
    if (++this.iterations > LIMITS.iterations) throw new TemplateLimitError(`more than ${LIMITS.iterations} loop iterations in one render (the limit)`);
  }
  enter(): void {
    if (++this.depth > LIMITS.depth) throw new TemplateLimitError(`macros, includes and recursive loops nested more than ${LIMITS.depth} deep (the limit)`);
  }
}

export class Scope {
  readonly vars = new Map<string, unknown>();
  constructor(
    readonly parent: Scope | null,
    readonly state: RenderState,
    /** Whether names not set in the template resolve to host variables (with context). */
    readonly hostVisible: boolean,
    readonly templateName?: string,
  ) {}

  child(): Scope {
    return new Scope(this, this.state, this.hostVisible, this.templateName);
  }

  resolve(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    for (let s = this.parent; s; s = s.parent) if (s.vars.has(name)) return s.vars.get(name);
    if (this.hostVisible) {
      const v = this.state.host(name);
      if (v !== MISSING) return v;
    }
    if (this.state.env.globals.has(name)) return this.state.env.globals.get(name);
    return new Undefined(`'${name}' is undefined`);
  }

  eval(e: Expr): unknown {
    try {
      return evaluate(e, this);
    } catch (err) {
      if (err instanceof TemplateError) throw err;
      if (err instanceof RangeError) throw new TemplateLimitError('expression too deep to evaluate').at(e.line, this.templateName);
      throw err;
    }
  }

  filter(name: string, value: unknown, args: unknown[], kwargs: Map<string, unknown>): unknown {
    const f = this.state.env.filters.get(name);
    if (!f) throw new TemplateError(`template error while templating string: Could not load "${name}": '${name}'`);
    if (value instanceof Undefined && !f.undefinedOk) value.fail();
    return f.fn(this, value, args, kwargs);
  }

  test(name: string, value: unknown, args: unknown[], kwargs: Map<string, unknown>): boolean {
    const t = this.state.env.tests.get(name);
    if (!t) throw new TemplateError(`template error while templating string: Could not load "${name}": '${name}'`);
    if (value instanceof Undefined && !t.undefinedOk) value.fail();
    return t.fn(this, value, args, kwargs);
  }
}

function missingAttr(obj: unknown, name: unknown): Undefined {
  if (obj instanceof Undefined) return obj;
  const what = typeof name === 'string' ? `has no attribute ${repr(name)}` : `has no element ${repr(name)}`;
  return new Undefined(`${repr(objectTypeRepr(obj))} ${what}`);
}

/** `obj.name`: a Python attribute first, then the item. */
export function getattr(obj: unknown, name: string): unknown {
  if (obj instanceof Undefined) return obj;
  const method = getMethod(obj, name);
  if (method) return method;
  if (obj instanceof Map) return obj.has(name) ? obj.get(name) : missingAttr(obj, name);
  if (obj instanceof Namespace) return obj.attrs.has(name) ? obj.attrs.get(name) : missingAttr(obj, name);
  if (hasAttrs(obj)) {
    const v = obj.pyAttr(name);
    if (v !== MISSING) return v;
  }
  return missingAttr(obj, name);
}

/** `obj[key]`: the item first, then (for a str key) the attribute. */
export function getitem(obj: unknown, key: unknown): unknown {
  if (obj instanceof Undefined) return obj;
  if (key instanceof Undefined) key.fail();
  if (obj instanceof Map) {
    const k = dictKey(key);
    if (obj.has(k)) return obj.get(k);
    if (typeof k === 'boolean' && obj.has(Number(k))) return obj.get(Number(k));
  } else if (Array.isArray(obj) || typeof obj === 'string') {
    if (key instanceof SliceValue) {
      const picked = key.indexes(obj.length).map((i) => obj[i]);
      return typeof obj === 'string' ? picked.join('') : obj instanceof PyTuple ? PyTuple.from2(picked) : picked;
    }
    if (isInt(key) || typeof key === 'boolean') {
      const i = num(key) < 0 ? num(key) + obj.length : num(key);
      if (i >= 0 && i < obj.length) return obj[i];
    }
  } else if (hasAttrs(obj) && typeof key === 'string') {
    const v = obj.pyAttr(key);
    if (v !== MISSING) return v;
  } else if (obj instanceof Namespace && typeof key === 'string' && obj.attrs.has(key)) return obj.attrs.get(key);
  if (typeof key === 'string') return getattr(obj, key);
  return missingAttr(obj, key);
}

formatHooks.getattr = getattr;
formatHooks.getitem = getitem;

function evalArgs(a: Args, scope: Scope): [unknown[], Map<string, unknown>] {
  const args = a.args.map((x) => scope.eval(x));
  const kwargs = new Map<string, unknown>();
  for (const [k, x] of a.kwargs) kwargs.set(k, scope.eval(x));
  if (a.star) {
    const extra = scope.eval(a.star);
    if (!Array.isArray(extra)) throw typeError(`argument after * must be an iterable, not ${typeName(extra)}`);
    args.push(...extra);
  }
  if (a.starstar) {
    const extra = scope.eval(a.starstar);
    if (!isDict(extra)) throw typeError(`argument after ** must be a mapping, not ${typeName(extra)}`);
    for (const [k, v] of extra) kwargs.set(str(k), v);
  }
  return [args, kwargs];
}

export function callValue(callee: unknown, args: unknown[], kwargs: Map<string, unknown>): unknown {
  if (callee instanceof Undefined) callee.fail();
  if (!isCallable(callee)) throw typeError(`'${typeName(callee)}' object is not callable`);
  return callee.call(args, kwargs);
}

function compareOp(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return eq(a, b);
    case '!=':
      return !eq(a, b);
    case '<':
      return lessThan(a, b, '<');
    case '>':
      return lessThan(b, a, '>');
    case '<=':
      return !lessThan(b, a, '<=');
    case '>=':
      return !lessThan(a, b, '>=');
    case 'in':
      return contains(b, a);
    default:
      return !contains(b, a);
  }
}

function sliceBound(v: unknown): number | null {
  if (v === null) return null;
  if (!isInt(v) && typeof v !== 'boolean') throw typeError('slice indices must be integers or None or have an __index__ method');
  return num(v);
}

export function evaluate(e: Expr, scope: Scope): unknown {
  switch (e.k) {
    case 'const':
      return e.value;
    case 'name':
      return scope.resolve(e.name);
    case 'getattr':
      return getattr(scope.eval(e.node), e.attr);
    case 'getitem':
      return getitem(scope.eval(e.node), scope.eval(e.arg));
    case 'slice':
      return new SliceValue(
        e.start ? sliceBound(scope.eval(e.start)) : null,
        e.stop ? sliceBound(scope.eval(e.stop)) : null,
        e.step ? sliceBound(scope.eval(e.step)) : null,
      );
    case 'call': {
      const callee = scope.eval(e.node);
      const [args, kwargs] = evalArgs(e.args, scope);
      if (callee instanceof StateCallable) return callee.callWithState(scope.state, args, kwargs);
      return callValue(callee, args, kwargs);
    }
    case 'filter': {
      const [args, kwargs] = evalArgs(e.args, scope);
      return scope.filter(e.name, scope.eval(e.node!), args, kwargs);
    }
    case 'test': {
      const [args, kwargs] = evalArgs(e.args, scope);
      const r = scope.test(e.name, scope.eval(e.node), args, kwargs);
      return e.negated ? !r : r;
    }
    case 'binop':
      return binop(e.op, scope.eval(e.left), scope.eval(e.right));
    case 'compare': {
      let left = scope.eval(e.first);
      for (const { op, expr } of e.ops) {
        const right = scope.eval(expr);
        if (!compareOp(op, left, right)) return false;
        left = right;
      }
      return true;
    }
    case 'and': {
      const left = scope.eval(e.left);
      return truthy(left) ? scope.eval(e.right) : left;
    }
    case 'or': {
      const left = scope.eval(e.left);
      return truthy(left) ? left : scope.eval(e.right);
    }
    case 'not':
      return !truthy(scope.eval(e.node));
    case 'neg':
    case 'pos':
      return negate(scope.eval(e.node), e.k === 'neg' ? '-' : '+');
    case 'cond':
      if (truthy(scope.eval(e.test))) return scope.eval(e.then);
      // Jinja2's plain Undefined, whatever the environment's: it prints as nothing.
      return e.else ? scope.eval(e.else) : new Undefined(`the inline if-expression on line ${e.line} evaluated to false and no else section was defined.`, true);
    case 'list':
      return e.items.map((x) => scope.eval(x));
    case 'tuple':
      return PyTuple.from2(e.items.map((x) => scope.eval(x)));
    case 'dict': {
      const out = new Map<unknown, unknown>();
      for (const [k, v] of e.items) {
        const key = scope.eval(k);
        if (key instanceof Undefined) key.fail();
        if (Array.isArray(key) && !(key instanceof PyTuple)) throw typeError("unhashable type: 'list'");
        if (key instanceof Map) throw typeError("unhashable type: 'dict'");
        setKey(out, key, scope.eval(v));
      }
      return out;
    }
  }
}

/** The items a for loop or a filter iterates: a str's characters, a dict's keys. */
export function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v instanceof Map) return [...v.keys()];
  if (v instanceof Undefined) return v.lenient ? [] : v.fail();
  throw typeError(`'${typeName(v)}' object is not iterable`);
}

export { UndefinedError };

/** A global that needs the render it is called from. */
export class StateCallable {
  constructor(
    readonly callableName: string,
    readonly callWithState: (state: RenderState, args: unknown[], kwargs: Map<string, unknown>) => unknown,
  ) {}
}
