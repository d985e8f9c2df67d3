// The playbook's templates, rendered by tend's Jinja2 engine (src/template/) as
// ansible-core 2.14 renders them: task parameters, loop items and variables as
// Templar.template does (a value that is one `{{ name }}` keeps its type), `when:` as
// Ansible's Conditional, names and labels as text. What this file adds: layered
// variables (each read once per lookup, templated when read), the loaders' limits
// (limits.ts: the size of a value made, variables nested), and compile-once: each text is
// compiled once per run, whatever the number of hosts.
import { isHostRendered } from '../module.ts';
import { TEND_FILTERS } from '../template/filters/tend.ts';
import { emptyVars, mergeVars } from '../vars.ts';
import {
  compileExpression,
  compileTemplate,
  evaluateConditional,
  str,
  TemplateError,
  toJS,
  valueTemplater,
  type CompiledExpression,
  type CompiledTemplate,
  type Lookup,
  type TemplateOptions,
} from '../template/index.ts';
import { LIMITS, sizeWithin } from './limits.ts';

export type { Lookup } from '../template/index.ts';
export { TemplateError } from '../template/index.ts';

/** A value a template made is larger than LIMITS.valueBytes as text. */
export class ValueTooLarge extends TemplateError {
  constructor(
    readonly what: string,
    readonly variable?: string,
  ) {
    super(`${variable === undefined ? '' : `variable '${variable}': `}${what} would be larger than 1 MiB (the limit on a value)`);
  }
}

export function checkSize(what: string, value: unknown): void {
  if (sizeWithin(value) > LIMITS.valueBytes) throw new ValueTooLarge(what);
}

export function hasTemplate(v: unknown): boolean {
  return typeof v === 'string' && (v.includes('{{') || v.includes('{%') || v.includes('{#'));
}

/** Whether a template is anywhere inside `v`. */
function holdsTemplate(v: unknown): boolean {
  if (typeof v === 'string') return hasTemplate(v);
  if (isHostRendered(v)) return true;
  if (Array.isArray(v)) return v.some(holdsTemplate);
  if (v !== null && typeof v === 'object') return Object.entries(v).some(([k, x]) => hasTemplate(k) || holdsTemplate(x));
  return false;
}

const OPTIONS: TemplateOptions = { filters: TEND_FILTERS };

// Compiled once per run: keyed by text (bounded, so a run over generated texts cannot grow it without end).
const templates = new Map<string, CompiledTemplate>();
const expressions = new Map<string, CompiledExpression>();
function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let found = cache.get(key);
  if (found === undefined) {
    found = make();
    if (cache.size >= 50_000) cache.clear();
    cache.set(key, found);
  }
  return found;
}

const compiledText = (text: string) => cached(templates, text, () => compileTemplate(text, { ...OPTIONS, name: text.length > 60 ? `${text.slice(0, 60)}…` : text }));
const compiledExpression = (expr: string) => cached(expressions, expr, () => compileExpression(expr, OPTIONS));

/** Template values as plain JS data: dicts become ordinary objects (`__proto__` an own key, never a prototype). */
function plain(v: unknown): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [typeof k === 'string' ? k : str(k), plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return toJS(v);
}

// One templater for the run (its compiled texts are shared by every host); it reads the
// variables of the render in progress. Renders nest (a variable templated while another
// renders) and are synchronous, so the lookup is set and restored around each.
let current: Lookup = () => undefined;
const shared = valueTemplater((name) => current(name), OPTIONS);

/**
 * Lists and maps walked as Templar.template walks them, each string templated; a value
 * made per host (a template file) rendered as such. tend's own, beyond Ansible (which
 * leaves keys as written): a key holding a template is rendered as text (`"{{ port }}/inet"`
 * names a master.cf service in the seed).
 */
function walk(value: unknown, lookup: Lookup): unknown {
  if (typeof value === 'string') return hasTemplate(value) ? plain(shared.template(value)) : value;
  if (isHostRendered(value)) return value.renderForHost(lookup);
  if (Array.isArray(value)) return value.map((v) => walk(v, lookup));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [hasTemplate(k) ? renderText(k, lookup) : k, walk(v, lookup)]));
}

/** Templates every string inside `value` as Ansible templates task arguments; plain JS out. */
export function render(value: unknown, lookup: Lookup): unknown {
  if (!holdsTemplate(value)) return value;
  const outer = current;
  current = lookup;
  let out: unknown;
  try {
    out = walk(value, lookup);
  } finally {
    current = outer;
  }
  checkSize('its value', out);
  return out;
}

export const renderString = (text: string, lookup: Lookup): unknown => render(text, lookup);

/** A text (a name, a loop label) rendered as text, as Python's str prints the result. */
export function renderText(text: string, lookup: Lookup): string {
  if (!hasTemplate(text)) return text;
  const out = compiledText(text).render(lookup);
  checkSize('its text', out);
  return out;
}

/** A `when:` condition's truth for this lookup, as Ansible's Conditional decides it. */
export function conditionHolds(condition: string, lookup: Lookup): boolean {
  return evaluateConditional(condition, lookup, OPTIONS);
}

/** A condition without the `{{ }}` Ansible tolerates around it. */
const bare = (condition: string) => /^\s*\{\{(.*)\}\}\s*$/s.exec(condition)?.[1] ?? condition;

/** Throws a TemplateError when the condition cannot be read. */
export function checkCondition(condition: string): void {
  compiledExpression(bare(condition));
}

export const conditionReferences = (condition: string): string[] => compiledExpression(bare(condition)).referencedVariables();
export const conditionRequires = (condition: string): string[] => compiledExpression(bare(condition)).requiredVariables();

/** Names the templates in `text` read, guarded or not. */
export function referencedNames(text: string): string[] {
  return hasTemplate(text) ? compiledText(text).referencedVariables() : [];
}

/** Variables the templates in `text` need: names read outside `is defined` and `default`. */
export function requiredNames(text: string): string[] {
  return hasTemplate(text) ? compiledText(text).requiredVariables() : [];
}

/** Throws a TemplateError when `text` is not a template Ansible could parse; needs no variables. */
export function checkSyntax(text: string): void {
  if (hasTemplate(text)) compiledText(text);
}

/** A value as text where tend shows or exports it (none is empty; lists and maps as JSON). */
export function toText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    checkSize('its text', v);
    return JSON.stringify(v);
  }
  return String(v);
}

/**
 * A lookup over layered variables whose values may themselves be templates (templated
 * when first read, once). `below` answers names no layer has (facts: read only when used);
 * it may throw (facts not read yet), and that propagates out of any render. `over` holds
 * values above every layer, taken as they are.
 */
export function variableLookup(
  layers: readonly Record<string, unknown>[],
  below?: Lookup,
  over?: Record<string, unknown>,
  /** Called with every name read (the names its values read included): throws when the name cannot be read yet. */
  guard?: (name: string) => void,
): Lookup {
  const merged = mergeVars(emptyVars(), ...layers);
  const resolving = new Set<string>();
  const cache = new Map<string, unknown>();
  const lookup: Lookup = (name) => {
    // `over` (Ansible's magic variables) wins over every layer and is never templated.
    if (over && Object.hasOwn(over, name)) return over[name];
    guard?.(name);
    if (!Object.hasOwn(merged, name)) return below ? below(name) : undefined;
    if (cache.has(name)) return cache.get(name);
    if (resolving.has(name)) throw new TemplateError(`recursive loop detected in template string: variable '${name}' refers to itself`);
    if (resolving.size >= LIMITS.variableDepth) {
      throw new TemplateError(`variable '${name}': more than ${LIMITS.variableDepth} variables deep, each naming the next (the limit)`);
    }
    resolving.add(name);
    try {
      const v = render(merged[name], lookup);
      cache.set(name, v);
      return v;
    } catch (e) {
      // Named once, by the innermost variable whose value crossed the limit.
      if (e instanceof ValueTooLarge && e.variable === undefined) throw new ValueTooLarge(e.what, name);
      throw e;
    } finally {
      resolving.delete(name);
    }
  };
  return lookup;
}
