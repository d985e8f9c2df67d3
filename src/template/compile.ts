// Compiling templates and expressions (the API is described in index.ts, which
// re-exports this).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Expr, Stmt } from './ast.ts';
import { TemplateError, TemplateSyntaxError } from './errors.ts';
import { RenderState, Scope, type EnvLike, type FilterDef, type Lookup, type TestDef } from './eval.ts';
import { FILTERS } from './filters/index.ts';
import { ANSIBLE_SYNTAX, tokenize, type Syntax } from './lexer.ts';
import { now } from './filters/time.ts';
import { Builtin, makeGlobals } from './objects.ts';
import { Parser } from './parser.ts';
import { Out, renderBody, type TemplateSource } from './render.ts';
import { TESTS } from './tests.ts';
import { toJS } from './values.ts';
import { lookupGlobals, type LookupOptions } from './lookups.ts';
import { referencedNames } from './names.ts';
import { literal } from './pyliteral.ts';


export interface TemplateOptions {
  /** How messages name the template. */
  name?: string;
  /** Directories include/import/extends look in, in order (the role's templates/, the role, …). */
  searchPath?: string[];
  /** Instead of searchPath: a template's text by name, or null. */
  loader?: (name: string) => string | null;
  syntax?: Partial<Syntax>;
  /** lookup()/query(): where files are, the environment, whether commands may run. */
  lookups?: LookupOptions;
  /** Extra filters/tests/globals (magic functions), by name. */
  filters?: Record<string, FilterDef>;
  tests?: Record<string, TestDef>;
  globals?: Record<string, unknown>;
}

export interface CompiledTemplate {
  readonly name: string;
  /** The whole template is one {{ }} ending in a filter that makes text (to_json, string, …): Ansible keeps its result text. */
  readonly textFilter: boolean;
  render(lookup: Lookup): string;
  referencedVariables(): string[];
  requiredVariables(): string[];
}

export interface CompiledExpression {
  evaluate(lookup: Lookup): unknown;
  evaluateRaw(lookup: Lookup): unknown;
  referencedVariables(): string[];
  requiredVariables(): string[];
}

function environment(options: TemplateOptions): EnvLike {
  const filters = new Map(FILTERS);
  const tests = new Map(TESTS);
  const globals = makeGlobals();
  const lookupOptions: LookupOptions = { searchPath: options.searchPath, ...options.lookups };
  lookupOptions.renderTemplate = (text, name, state, searchPath) =>
    // The template lookup: the host's variables, Ansible's defaults, data conversion on.
    literal(compileTemplate(text, { ...options, name, searchPath, lookups: lookupOptions, syntax: undefined }).render(state.lookup));
  for (const [k, v] of Object.entries(lookupGlobals(lookupOptions))) globals.set(k, v);
  globals.set('now', new Builtin('now', now));
  for (const [k, v] of Object.entries(options.filters ?? {})) filters.set(k, v);
  for (const [k, v] of Object.entries(options.tests ?? {})) tests.set(k, v);
  for (const [k, v] of Object.entries(options.globals ?? {})) globals.set(k, v);
  return { filters, tests, globals };
}

/** Ansible's `#jinja2: key: value, …` first line: Python literals for the environment. */
function headerOverrides(text: string, syntax: Syntax): [string, Syntax] {
  if (!text.startsWith('#jinja2:')) return [text, syntax];
  const eol = text.indexOf('\n');
  const line = text.slice('#jinja2:'.length, eol < 0 ? text.length - 1 : eol);
  const out = { ...syntax };
  const keys: Record<string, keyof Syntax> = {
    trim_blocks: 'trimBlocks',
    lstrip_blocks: 'lstripBlocks',
    keep_trailing_newline: 'keepTrailingNewline',
    newline_sequence: 'newlineSequence',
    block_start_string: 'blockStart',
    block_end_string: 'blockEnd',
    variable_start_string: 'variableStart',
    variable_end_string: 'variableEnd',
    comment_start_string: 'commentStart',
    comment_end_string: 'commentEnd',
  };
  for (const pair of line.split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) throw new TemplateError(`failed to parse jinja2 override '${pair.trim()}'. Did you use something different from colon as key-value separator?`);
    const key = pair.slice(0, colon).trim();
    const raw = pair.slice(colon + 1).trim();
    let value: unknown;
    if (raw === 'True' || raw === 'False') value = raw === 'True';
    else if (/^'(.*)'$|^"(.*)"$/s.test(raw)) value = JSON.parse(`"${raw.slice(1, -1).replace(/"/g, '\\"')}"`);
    else throw new TemplateError(`malformed node or string in jinja2 override: ${raw}`);
    if (Object.hasOwn(keys, key)) (out as Record<string, unknown>)[keys[key]!] = value;
  }
  return [eol < 0 ? text : text.slice(eol + 1), out];
}

function parseText(text: string, syntax: Syntax, name: string | undefined): Stmt[] {
  return new Parser(tokenize(text, syntax, name), name).parseTemplate();
}

/** Unknown filters and tests are refused when the template is compiled, as Ansible does. */
function checkNames(body: unknown, env: EnvLike, name: string | undefined): void {
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as { k?: string; name?: string; line?: number };
    if (o.k === 'filter' && !env.filters.has(o.name!)) throw new TemplateSyntaxError(`template error while templating string: Could not load "${o.name}": '${o.name}'`, o.line, name);
    if (o.k === 'test' && !env.tests.has(o.name!)) throw new TemplateSyntaxError(`template error while templating string: Could not load "${o.name}": '${o.name}'`, o.line, name);
    for (const x of Object.values(o)) if (x && typeof x === 'object') walk(x);
  };
  walk(body);
}

function fileLoader(searchPath: string[]): (name: string) => string | null {
  return (name) => {
    // As Jinja2's FileSystemLoader: '..' segments never leave the search path.
    const parts = name.split('/').filter((p) => p && p !== '.');
    if (parts.includes('..')) return null;
    for (const dir of searchPath) {
      const path = join(dir, ...parts);
      try {
        if (statSync(path).isFile()) return readFileSync(path, 'utf8');
      } catch {
        // not in this directory
      }
    }
    return null;
  };
}

function makeSource(options: TemplateOptions, syntax: Syntax, env: EnvLike): TemplateSource {
  const read = options.loader ?? fileLoader(options.searchPath ?? []);
  const cache = new Map<string, { body: Stmt[]; name: string } | null>();
  return {
    load(name) {
      if (!cache.has(name)) {
        const text = read(name);
        if (text === null) cache.set(name, null);
        else {
          // Included templates use the including environment (no #jinja2 header, no newline rule).
          const body = parseText(text, syntax, name);
          checkNames(body, env, name);
          cache.set(name, { body, name });
        }
      }
      return cache.get(name)!;
    },
  };
}

/** Ansible's STRING_TYPE_FILTERS: their result is NativeJinjaText, never converted back to data. */
const TEXT_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json']);

const trailingNewlines = (s: string) => s.length - s.replace(/\n+$/, '').length;

export function compileTemplate(text: string, options: TemplateOptions = {}): CompiledTemplate {
  const name = options.name ?? '<template>';
  const base: Syntax = { ...ANSIBLE_SYNTAX, ...options.syntax };
  const [body0, syntax] = headerOverrides(text, base);
  const env = environment(options);
  const body = parseText(body0, syntax, name);
  checkNames(body, env, name);
  const source = makeSource(options, syntax, env);
  const wanted = trailingNewlines(text);
  const only = body.length === 1 && body[0]!.k === 'output' ? body[0].expr : null;
  const textFilter = only?.k === 'filter' && TEXT_FILTERS.has(only.name.replace(/^ansible\.builtin\./, ''));
  return {
    name,
    textFilter,
    render(lookup) {
      const state = new RenderState(env, lookup);
      const scope = new Scope(null, state, true, name);
      const out = new Out(scope);
      try {
        renderBody(body, scope, out, source);
      } catch (e) {
        if (e instanceof RangeError) throw new TemplateError(`${name}: nested too deep to render`);
        throw e;
      }
      let result = out.text();
      // Ansible's rule: as many trailing newlines as the source had, at least.
      const have = trailingNewlines(result);
      if (wanted > have) result += syntax.newlineSequence.repeat(wanted - have);
      return result;
    },
    referencedVariables: () => referencedNames(body, false),
    requiredVariables: () => referencedNames(body, true),
  };
}

export function compileExpression(expression: string, options: TemplateOptions = {}): CompiledExpression {
  const name = options.name ?? expression;
  const env = environment(options);
  const tokens = tokenize(`{{ ${expression} }}`, { ...ANSIBLE_SYNTAX, ...options.syntax }, name);
  const parser = new Parser(tokens, name);
  const body = parser.parseTemplate();
  if (body.length !== 1 || body[0]!.k !== 'output') throw new TemplateSyntaxError(`not one expression: ${expression}`, 1, name);
  const expr: Expr = body[0].expr;
  checkNames(expr, env, name);
  const evaluateRaw = (lookup: Lookup) => {
    const scope = new Scope(null, new RenderState(env, lookup), true, name);
    return scope.eval(expr);
  };
  return {
    evaluateRaw,
    evaluate: (lookup) => toJS(evaluateRaw(lookup)),
    referencedVariables: () => referencedNames(body, false),
    requiredVariables: () => referencedNames(body, true),
  };
}
