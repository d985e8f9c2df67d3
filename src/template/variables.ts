// Values templated as Ansible's Templar.template templates task arguments and variables
// (not template files, which the template module renders with do_template):
//   - a str without {{ {% {# is left as it is;
//   - a str that is exactly `{{ name }}` naming a bool or number gives that value, None
//     for None;
//   - otherwise the text is rendered, and text that reads as a Python literal starting
//     with [ or {, or True/False, becomes that value (convert_data), unless the whole
//     thing was one {{ }} ending in a filter that makes text (to_json, string, …);
//   - backslashes in string literals inside {{ }} are literal (escape_backslashes);
//   - lists and dicts are templated item by item (dict keys are not).
// templatingLookup applies this lazily to variables whose values are templates, as
// AnsibleJ2Vars does when a template reads them.
import { TemplateError, TemplateLimitError } from './errors.ts';
import type { Lookup } from './eval.ts';
import { compileTemplate, type CompiledTemplate, type TemplateOptions } from './compile.ts';
import { literal } from './pyliteral.ts';
import { fromJS, isDict, isNumber, Undefined } from './values.ts';

const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/;
const MAX_DEPTH = 100;


export interface ValueTemplater {
  /** Templates `value` (any depth) against the lookup. */
  template(value: unknown): unknown;
}

/**
 * A templater for values over `lookup`; `has(name)` says whether the name is a variable
 * at all (the `{{ name }}` fast path applies only then). Compiled texts are cached.
 */
export function valueTemplater(lookup: Lookup, options: TemplateOptions = {}): ValueTemplater {
  const compiled = new Map<string, CompiledTemplate>();
  const template = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('{{') && !v.includes('{%') && !v.includes('{#')) return v;
      const single = SINGLE_VAR.exec(v);
      if (single) {
        const resolved = lookup(single[1]!);
        if (resolved !== undefined && !(resolved instanceof Undefined)) {
          if (typeof resolved === 'boolean' || isNumber(resolved)) return resolved;
          if (resolved === null) return null;
        }
      }
      let t = compiled.get(v);
      if (!t) {
        t = compileTemplate(v, { ...options, name: options.name ?? (v.length > 60 ? `${v.slice(0, 60)}…` : v), syntax: { ...options.syntax, escapeBackslashes: true } });
        compiled.set(v, t);
      }
      const out = t.render(lookup);
      return t.textFilter ? out : literal(out);
    }
    if (Array.isArray(v)) return v.map(template);
    if (isDict(v)) return new Map([...v].map(([k, x]) => [k, template(x)]));
    return v;
  };
  // Plain JS data (a task's arguments as YAML gave them) becomes template values first.
  return { template: (v) => template(fromJS(v)) };
}

/** A lookup over `vars` (plain objects or Maps) whose string values are templated lazily. */
export function templatingLookup(vars: Map<string, unknown> | Record<string, unknown>, options: TemplateOptions = {}): Lookup {
  const source = vars instanceof Map ? vars : new Map(Object.entries(vars));
  const cache = new Map<string, unknown>();
  const resolving: string[] = [];
  const lookup: Lookup = (name) => {
    if (!source.has(name)) return undefined;
    if (cache.has(name)) return cache.get(name);
    if (resolving.includes(name)) throw new TemplateError(`recursive loop detected in template string: variable '${name}' refers to itself`);
    if (resolving.length >= MAX_DEPTH) throw new TemplateLimitError(`variables nested more than ${MAX_DEPTH} deep (the limit)`);
    resolving.push(name);
    try {
      const v = templater.template(source.get(name));
      cache.set(name, v);
      return v;
    } finally {
      resolving.pop();
    }
  };
  const templater = valueTemplater(lookup, options);
  return lookup;
}
