// `when:` (and failed_when/changed_when) as Ansible 2.14's Conditional evaluates it:
// the text is first templated like any task argument (a conditional written with {{ }}
// works, with Ansible's warning), then rendered inside
// `{% if … %} True {% else %} False {% endif %}`. When that fails on an undefined
// variable which the conditional itself tests with `is defined`/`is undefined`, the
// answer follows from the test instead (Ansible's fallback), else the error is Ansible's.
import { TemplateError, UndefinedError } from './errors.ts';
import type { Lookup } from './eval.ts';
import { compileTemplate, type CompiledTemplate, type TemplateOptions } from './compile.ts';
import { truthy } from './values.ts';
import { valueTemplater } from './variables.ts';

const DEFINED = /(hostvars\[.+\]|[\w_]+)\s+(not\s+is|is|is\s+not)\s+(defined|undefined)/;
const compiled = new Map<string, CompiledTemplate>();

/** The `is defined` / `is undefined` tests a conditional makes: [name, logic, state]. */
function definedTests(conditional: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  let rest = conditional;
  for (let m = DEFINED.exec(rest); m; m = DEFINED.exec(rest)) {
    out.push([m[1]!, m[2]!, m[3]!]);
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

export function evaluateConditional(conditional: unknown, lookup: Lookup, options: TemplateOptions = {}): boolean {
  if (conditional === null || conditional === undefined || conditional === '') return true;
  if (typeof conditional === 'boolean') return conditional;
  const original = String(conditional);
  try {
    const templated = valueTemplater(lookup, options).template(conditional);
    if (typeof templated !== 'string' || templated === '') return truthy(templated);
    const presented = `{% if ${templated} %} True {% else %} False {% endif %}`;
    let t = compiled.get(presented);
    if (!t) {
      t = compileTemplate(presented, { ...options, name: options.name ?? original, syntax: { ...options.syntax, escapeBackslashes: true } });
      if (compiled.size > 10_000) compiled.clear();
      compiled.set(presented, t);
    }
    const val = t.render(lookup).trim();
    if (val === 'True') return true;
    if (val === 'False') return false;
    throw new TemplateError(`unable to evaluate conditional: ${original}`);
  } catch (e) {
    if (!(e instanceof UndefinedError)) throw e;
    const name = /'(hostvars\[.+\]|[\w_]+)' is undefined/.exec(e.message)?.[1];
    if (name) {
      for (const [v, logic, state] of definedTests(original)) {
        if (name.replace(/'/g, '"') === v.replace(/'/g, '"')) return !(logic.includes('not') !== (state === 'defined'));
      }
    }
    throw new UndefinedError(`error while evaluating conditional (${original}): ${e.message}`);
  }
}
