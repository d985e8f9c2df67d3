// `{{ expression }}` in playbook values (the language is in expression.ts).
// A string that is one whole expression keeps the value's type (a list stays a list);
// an expression inside other text is converted to text. Undefined names are errors.
import { emptyVars, mergeVars } from '../vars.ts';
import { checkSize, evaluate, ExpressionError, parse, referencedVariables, requiredVariables, toText, UNDEFINED, ValueTooLarge, type Lookup } from './expression.ts';
import { LIMITS } from './limits.ts';

export type { Lookup } from './expression.ts';
export { ExpressionError as TemplateError } from './expression.ts';

const EXPRESSION = /\{\{(.*?)\}\}/gs;

export function hasTemplate(v: unknown): boolean {
  return typeof v === 'string' && v.includes('{{');
}

/** Whether a template is anywhere inside `v` (keys included). */
function holdsTemplate(v: unknown): boolean {
  if (typeof v === 'string') return hasTemplate(v);
  if (Array.isArray(v)) return v.some(holdsTemplate);
  if (v !== null && typeof v === 'object') return Object.entries(v).some(([k, x]) => hasTemplate(k) || holdsTemplate(x));
  return false;
}

/** Renders every string inside `value` (objects and arrays walked). */
export function render(value: unknown, lookup: Lookup): unknown {
  if (typeof value === 'string') return renderString(value, lookup);
  if (Array.isArray(value)) return value.map((v) => render(v, lookup));
  if (value && typeof value === 'object') {
    // Keys are rendered too: `"{{ port }}/inet": …` names a master.cf service.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [hasTemplate(k) ? toText(renderString(k, lookup)) : k, render(v, lookup)]));
  }
  return value;
}

export function renderString(text: string, lookup: Lookup): unknown {
  const whole = /^\{\{(.*?)\}\}$/s.exec(text);
  if (whole && !whole[1]!.includes('}}')) return evaluate(whole[1]!, lookup, `{{${whole[1]}}}`);
  // Each piece is within the limit; their sum is checked as they come, before it is built.
  let length = text.length;
  return text.replace(EXPRESSION, (_, expr: string) => {
    const piece = toText(evaluate(expr, lookup, `{{${expr}}}`));
    length += piece.length;
    if (length > LIMITS.valueBytes) throw new ValueTooLarge('its text');
    return piece;
  });
}

/** Names the expressions in `text` read, guarded or not. */
export function referencedNames(text: string): string[] {
  return [...text.matchAll(EXPRESSION)].flatMap((m) => referencedVariables(m[1]!));
}

/** Throws a TemplateError when an expression in `text` cannot be read; needs no variables. */
export function checkSyntax(text: string): void {
  for (const m of text.matchAll(EXPRESSION)) parse(m[1]!, `{{${m[1]}}}`);
  if (/\{\{(?![\s\S]*\}\})/.test(text)) throw new ExpressionError(`'{{' without '}}' in '${text}'`);
}

/** Variables the expressions in `text` need: names read outside `is defined` and `default`. */
export function requiredNames(text: string): string[] {
  return [...text.matchAll(EXPRESSION)].flatMap((m) => requiredVariables(m[1]!));
}

/** A lookup over layered variables whose values may themselves be templates. */
/** `below` answers names no layer has (facts: the lowest layer, read only when used). */
export function variableLookup(layers: readonly Record<string, unknown>[], below?: Lookup): Lookup {
  const merged = mergeVars(emptyVars(), ...layers);
  const resolving = new Set<string>();
  const cache = new Map<string, unknown>();
  const lookup: Lookup = (name) => {
    if (!Object.hasOwn(merged, name)) return below ? below(name) : UNDEFINED;
    if (cache.has(name)) return cache.get(name);
    if (resolving.has(name)) throw new ExpressionError(`variable '${name}' refers to itself`);
    if (resolving.size >= LIMITS.variableDepth) {
      throw new ExpressionError(`variable '${name}': more than ${LIMITS.variableDepth} variables deep, each naming the next (the limit)`);
    }
    resolving.add(name);
    try {
      const raw = merged[name];
      const v = render(raw, lookup);
      // What a template made is bounded; a value written out in a file is as the file has it.
      if (holdsTemplate(raw)) checkSize('its value', v);
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
