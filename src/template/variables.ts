// Variables whose values are themselves templates, resolved as Ansible's AnsibleJ2Vars
// resolves them when a template reads them (Templar.template with convert_data):
//   - a str that is exactly `{{ name }}` naming a bool or number keeps that value;
//   - otherwise templated strings become text, except text that reads as a Python
//     list/dict literal or True/False, which becomes that value;
//   - lists and dicts are templated item by item.
import { TemplateError, TemplateLimitError } from './errors.ts';
import type { Lookup } from './eval.ts';
import { compileExpression, compileTemplate, type CompiledTemplate } from './index.ts';
import { fromJS, isDict, isNumber, Undefined } from './values.ts';

const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/;
const MAX_DEPTH = 100;

/** Ansible's convert_data: text that reads as a Python list/dict literal or True/False becomes that value. */
export function literal(text: string): unknown {
  if (!(text.startsWith('{') || text.startsWith('[') || text === 'True' || text === 'False')) return text;
  try {
    const e = compileExpression(text.replace(/\bnull\b/g, 'None'));
    if (e.referencedVariables().length) return text;
    return e.evaluateRaw(() => undefined);
  } catch {
    return text;
  }
}

/** A lookup over `vars` (plain objects or Maps) whose string values are templated lazily. */
export function templatingLookup(vars: Map<string, unknown> | Record<string, unknown>): Lookup {
  const source = vars instanceof Map ? vars : new Map(Object.entries(vars));
  const compiled = new Map<string, CompiledTemplate>();
  const cache = new Map<string, unknown>();
  const resolving: string[] = [];
  const lookup: Lookup = (name) => {
    if (!source.has(name)) return undefined;
    if (cache.has(name)) return cache.get(name);
    if (resolving.includes(name)) throw new TemplateError(`recursive loop detected in template string: variable '${name}' refers to itself`);
    if (resolving.length >= MAX_DEPTH) throw new TemplateLimitError(`variables nested more than ${MAX_DEPTH} deep (the limit)`);
    resolving.push(name);
    try {
      const v = template(fromJS(source.get(name)));
      cache.set(name, v);
      return v;
    } finally {
      resolving.pop();
    }
  };
  const template = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('{{') && !v.includes('{%') && !v.includes('{#')) return v;
      const single = SINGLE_VAR.exec(v);
      if (single && source.has(single[1]!)) {
        const resolved = lookup(single[1]!);
        if (typeof resolved === 'boolean' || isNumber(resolved)) return resolved;
      }
      let t = compiled.get(v);
      if (!t) {
        t = compileTemplate(v, { name: v.length > 60 ? `${v.slice(0, 60)}…` : v });
        compiled.set(v, t);
      }
      return literal(t.render(lookup));
    }
    if (Array.isArray(v)) return v.map(template);
    if (isDict(v)) return new Map([...v].map(([k, x]) => [k, template(x)]));
    if (v instanceof Undefined) return v;
    return v;
  };
  return lookup;
}
