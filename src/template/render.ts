// Statements executed against a scope, writing to an output buffer. Scoping as Jinja2's:
// a for loop's body, a macro and `with` have their own scope; `if` does not; a top-level
// `set` is what an importing template sees. What `{{ }}` prints passes Ansible's finalize:
// None prints as nothing, an undefined value (even inside a list) is an error.
import type { MacroDef, Stmt, Target } from './ast.ts';
import { PyError, TemplateError, TemplateLimitError, typeError, valueError } from './errors.ts';
import { callValue, iterate, Scope } from './eval.ts';
import { LIMITS } from './limits.ts';
import { LoopContext, MISSING, type HasAttrs } from './objects.ts';
import { isCallable, Namespace, PyTuple, repr, str, truthy, Undefined, type PyCallable } from './values.ts';

export class Out {
  readonly parts: string[] = [];
  constructor(private readonly scope: Scope) {}
  write(s: string): void {
    const state = this.scope.state;
    state.outputChars += s.length;
    if (state.outputChars > LIMITS.outputChars) throw new TemplateLimitError(`output over ${LIMITS.outputChars} characters (the limit)`);
    this.parts.push(s);
  }
  text(): string {
    return this.parts.join('');
  }
}

/** Loads other templates for include/import/extends (environment.ts provides it). */
export interface TemplateSource {
  /** The named template's statements, or null when no search path has it. */
  load(name: string): { body: Stmt[]; name: string } | null;
}

export function finalize(v: unknown): string {
  if (v === null) return '';
  if (v instanceof Undefined) return v.lenient ? '' : v.fail();
  return str(v);
}

/** A macro (or a call block's `caller`), closed over the scope it was defined in. */
export class Macro implements PyCallable, HasAttrs {
  readonly callableName: string;
  private readonly catchVarargs: boolean;
  private readonly catchKwargs: boolean;
  readonly callerUsed: boolean;
  constructor(
    readonly def: MacroDef,
    private readonly closure: Scope,
    private readonly source: TemplateSource,
  ) {
    this.callableName = def.name;
    const names = bodyNames(def.body);
    this.catchVarargs = names.has('varargs');
    this.catchKwargs = names.has('kwargs');
    this.callerUsed = names.has('caller');
  }
  pyAttr(name: string): unknown {
    if (name === 'name') return this.def.name;
    if (name === 'arguments') return PyTuple.from2(this.def.params);
    if (name === 'catch_kwargs') return this.catchKwargs;
    if (name === 'catch_varargs') return this.catchVarargs;
    if (name === 'caller') return this.callerUsed;
    return MISSING;
  }
  call(args: unknown[], kwargs: Map<string, unknown>): unknown {
    const state = this.closure.state;
    state.enter();
    try {
      const scope = this.closure.child();
      const { params, defaults } = this.def;
      const firstDefault = params.length - defaults.length;
      const extraKw = new Map(kwargs);
      params.forEach((p, i) => {
        if (i < args.length) {
          if (extraKw.has(p)) throw typeError(`macro '${this.def.name}' got multiple values for argument '${p}'`);
          scope.vars.set(p, args[i]);
        } else if (extraKw.has(p)) {
          scope.vars.set(p, extraKw.get(p));
          extraKw.delete(p);
        } else if (i >= firstDefault) scope.vars.set(p, scope.eval(defaults[i - firstDefault]!));
        else scope.vars.set(p, new Undefined(`parameter '${p}' was not provided`));
      });
      if (extraKw.has('caller')) {
        scope.vars.set('caller', extraKw.get('caller'));
        extraKw.delete('caller');
      }
      const varargs = args.slice(params.length);
      if (varargs.length && !this.catchVarargs) throw typeError(`macro '${this.def.name}' takes not more than ${params.length} argument(s)`);
      if (extraKw.size && !this.catchKwargs) throw typeError(`macro '${this.def.name}' takes no keyword argument '${[...extraKw.keys()][0]}'`);
      scope.vars.set('varargs', PyTuple.from2(varargs));
      scope.vars.set('kwargs', extraKw);
      const out = new Out(scope);
      execute(this.def.body, scope, out, this.source);
      return out.text();
    } finally {
      state.depth--;
    }
  }
}

/** Names read anywhere in statements (for varargs/kwargs/caller detection). */
function bodyNames(body: Stmt[]): Set<string> {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.k === 'name' && typeof o.name === 'string' && 'line' in o) names.add(o.name);
      if (o.k === 'macro') return; // a nested macro's names are its own
      for (const key of Object.keys(o)) if (key !== 'k') walk(o[key]);
    }
  };
  walk(body);
  return names;
}

export function assign(target: Target, value: unknown, scope: Scope): void {
  if (target.k === 'name') scope.vars.set(target.name, value);
  else if (target.k === 'nsattr') {
    const ns = scope.resolve(target.name);
    if (!(ns instanceof Namespace)) throw new PyError('TemplateRuntimeError', 'cannot assign attribute on non-namespace object');
    ns.attrs.set(target.attr, value);
  } else {
    const items = iterate(value);
    if (items.length !== target.items.length) {
      throw valueError(items.length < target.items.length ? `not enough values to unpack (expected ${target.items.length}, got ${items.length})` : `too many values to unpack (expected ${target.items.length})`);
    }
    target.items.forEach((t, i) => assign(t, items[i], scope));
  }
}

function renderFor(stmt: Extract<Stmt, { k: 'for' }>, scope: Scope, out: Out, source: TemplateSource, iterable: unknown, depth0: number): void {
  let items = iterate(iterable);
  const loopScope = scope.child();
  if (stmt.filter) {
    items = items.filter((item) => {
      scope.state.tick();
      assign(stmt.target, item, loopScope);
      return truthy(loopScope.eval(stmt.filter!));
    });
  }
  const recurse: PyCallable | null = stmt.recursive
    ? {
        callableName: 'loop',
        call: (args) => {
          scope.state.enter();
          try {
            const inner = new Out(scope);
            renderFor(stmt, scope, inner, source, args[0], depth0 + 1);
            return inner.text();
          } finally {
            scope.state.depth--;
          }
        },
      }
    : null;
  const loop = new LoopContext(items, depth0, recurse);
  for (const item of items) {
    scope.state.tick();
    loop.index0++;
    const body = loopScope.child();
    assign(stmt.target, item, body);
    body.vars.set('loop', loop);
    execute(stmt.body, body, out, source);
  }
  if (items.length === 0) execute(stmt.else, loopScope, out, source);
}

function applyFilters(chain: import('./ast.ts').Expr, subject: unknown, scope: Scope): unknown {
  if (chain.k !== 'filter') return subject;
  const inner = chain.node ? applyFilters(chain.node, subject, scope) : subject;
  const args = chain.args.args.map((a) => scope.eval(a));
  const kwargs = new Map(chain.args.kwargs.map(([k, a]) => [k, scope.eval(a)] as [string, unknown]));
  return scope.filter(chain.name, inner, args, kwargs);
}

export function execute(body: Stmt[], scope: Scope, out: Out, source: TemplateSource): void {
  for (const stmt of body) {
    try {
      run(stmt, scope, out, source);
    } catch (err) {
      if (err instanceof TemplateError) throw err.at(stmt.line, scope.templateName, stmt.k === 'output' ? stmt.col : undefined);
      if (err instanceof RangeError) throw new TemplateLimitError('template nested too deep to render').at(stmt.line, scope.templateName);
      throw err;
    }
  }
}

function run(stmt: Stmt, scope: Scope, out: Out, source: TemplateSource): void {
  switch (stmt.k) {
    case 'data':
      return out.write(stmt.text);
    case 'output':
      return out.write(finalize(scope.eval(stmt.expr)));
    case 'if':
      for (const b of stmt.branches) {
        if (truthy(scope.eval(b.test))) return execute(b.body, scope, out, source);
      }
      return execute(stmt.else, scope, out, source);
    case 'for':
      return renderFor(stmt, scope, out, source, scope.eval(stmt.iter), 0);
    case 'set':
      return assign(stmt.target, scope.eval(stmt.expr), scope);
    case 'setblock': {
      const inner = new Out(scope);
      execute(stmt.body, scope, inner, source);
      return assign(stmt.target, stmt.filters ? applyFilters(stmt.filters, inner.text(), scope) : inner.text(), scope);
    }
    case 'macro':
      scope.vars.set(stmt.def.name, new Macro(stmt.def, scope, source));
      return;
    case 'callblock': {
      const call = stmt.call as Extract<import('./ast.ts').Expr, { k: 'call' }>;
      const callee = scope.eval(call.node);
      const args = call.args.args.map((a) => scope.eval(a));
      const kwargs = new Map(call.args.kwargs.map(([k, a]) => [k, scope.eval(a)] as [string, unknown]));
      kwargs.set('caller', new Macro(stmt.def, scope, source));
      return out.write(finalize(callValue(callee, args, kwargs)));
    }
    case 'filterblock': {
      const inner = new Out(scope);
      execute(stmt.body, scope, inner, source);
      return out.write(finalize(applyFilters(stmt.filters, inner.text(), scope)));
    }
    case 'with': {
      const inner = scope.child();
      const values = stmt.values.map((v) => scope.eval(v));
      stmt.targets.forEach((t, i) => assign(t, values[i], inner));
      return execute(stmt.body, inner, out, source);
    }
    case 'include':
      return include(stmt, scope, out, source);
    case 'import':
    case 'fromimport': {
      const module = importTemplate(scope.eval(stmt.template), stmt.withContext, scope, source);
      if (stmt.k === 'import') scope.vars.set(stmt.target, module);
      else {
        for (const [name, alias] of stmt.names) {
          scope.vars.set(alias, module.vars.has(name) ? module.vars.get(name) : new Undefined(`the template ${repr(module.name)} (imported on line ${stmt.line}) does not export the requested name ${repr(name)}`));
        }
      }
      return;
    }
    case 'extends':
      throw new TemplateError('extends is handled by the template itself');
    case 'block':
      return execute(stmt.body, scope.child(), out, source);
  }
}

function loadOne(names: unknown, source: TemplateSource): { body: Stmt[]; name: string } | null {
  if (names instanceof Undefined) names.fail();
  const list = Array.isArray(names) ? names : [names];
  for (const n of list) {
    const t = source.load(str(n));
    if (t) return t;
  }
  return null;
}

function notFound(names: unknown): TemplateError {
  const list = Array.isArray(names) ? names.map(str) : [str(names)];
  if (list.length > 1) return new TemplateError(`none of the templates given were found: ${list.join(', ')}`, 'TemplatesNotFound');
  return new TemplateError(list[0]!, 'TemplateNotFound');
}

/**
 * What an included or imported template sees: with context, every variable visible here
 * except `loop` (Jinja2 does not pass the loop object on); without, only globals.
 */
function contextFor(scope: Scope, withContext: boolean, name: string): Scope {
  if (!withContext) return new Scope(null, scope.state, false, name);
  const chain: Scope[] = [];
  for (let s: Scope | null = scope; s; s = s.parent) chain.unshift(s);
  const inner = new Scope(null, scope.state, scope.hostVisible, name);
  for (const s of chain) for (const [k, v] of s.vars) if (k !== 'loop') inner.vars.set(k, v);
  return new Scope(inner, scope.state, scope.hostVisible, name);
}

function include(stmt: Extract<Stmt, { k: 'include' }>, scope: Scope, out: Out, source: TemplateSource): void {
  const names = scope.eval(stmt.template);
  const t = loadOne(names, source);
  if (!t) {
    if (stmt.ignoreMissing) return;
    throw notFound(names);
  }
  scope.state.enter();
  try {
    renderBody(t.body, contextFor(scope, stmt.withContext, t.name), out, source);
  } finally {
    scope.state.depth--;
  }
}

/** An imported template: its top-level variables and macros as attributes. */
class TemplateModule implements HasAttrs {
  constructor(
    readonly name: string,
    readonly vars: Map<string, unknown>,
  ) {}
  pyAttr(name: string): unknown {
    return this.vars.has(name) && !name.startsWith('_') ? this.vars.get(name) : MISSING;
  }
}

function importTemplate(names: unknown, withContext: boolean, scope: Scope, source: TemplateSource): TemplateModule {
  const t = loadOne(names, source);
  if (!t) throw notFound(names);
  scope.state.enter();
  try {
    const inner = contextFor(scope, withContext, t.name);
    renderBody(t.body, inner, new Out(inner), source);
    return new TemplateModule(t.name, inner.vars);
  } finally {
    scope.state.depth--;
  }
}

/** A whole template: with `{% extends %}`, its blocks fill the parent's. */
export function renderBody(body: Stmt[], scope: Scope, out: Out, source: TemplateSource, overrides = new Map<string, Stmt[]>()): void {
  const ext = body.find((s) => s.k === 'extends');
  if (!ext) {
    const withBlocks = overrides.size ? replaceBlocks(body, overrides) : body;
    return execute(withBlocks, scope, out, source);
  }
  for (const s of body) {
    if (s.k === 'block' && !overrides.has(s.name)) overrides.set(s.name, s.body);
    else if (s.k === 'set' || s.k === 'macro' || s.k === 'import' || s.k === 'fromimport') execute([s], scope, new Out(scope), source);
  }
  const parent = loadOne(scope.eval((ext as Extract<Stmt, { k: 'extends' }>).template), source);
  if (!parent) throw notFound(scope.eval((ext as Extract<Stmt, { k: 'extends' }>).template));
  scope.state.enter();
  try {
    renderBody(parent.body, scope, out, source, overrides);
  } finally {
    scope.state.depth--;
  }
}

function replaceBlocks(body: Stmt[], overrides: Map<string, Stmt[]>): Stmt[] {
  return body.map((s) => (s.k === 'block' && overrides.has(s.name) ? { ...s, body: replaceBlocks(overrides.get(s.name)!, overrides) } : s));
}

export { isCallable };
