// Template checks that need no host: every `{{ }}` can be read, and (when the inventory
// is known) every variable it needs is defined somewhere — play vars, the inventory, -e.
import type { InputError } from '../errors.ts';
import type { YamlPath } from '../yaml-source.ts';
import type { Playbook } from './load.ts';
import { closest } from './suggest.ts';
import { checkSyntax, requiredNames, TemplateError } from './template.ts';

/** Variables every host has without anyone defining them. */
export const BUILTIN_VARIABLES = ['inventory_hostname', 'group_names'];

/** Every string in `value` with its YAML path. */
function* strings(value: unknown, path: YamlPath): Generator<[string, YamlPath]> {
  if (typeof value === 'string') yield [value, path];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, i]);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield [k, [...path, k]];
      yield* strings(v, [...path, k]);
    }
  }
}

function* templatedStrings(playbook: Playbook): Generator<[string, YamlPath, Set<string>]> {
  for (const [p, play] of playbook.plays.entries()) {
    const playNames = new Set(Object.keys(play.vars));
    for (const [text, path] of strings(play.vars, [p, 'vars'])) if (text.includes('{{')) yield [text, path, playNames];
    for (const task of [...play.tasks, ...play.handlers]) {
      for (const [text, path] of strings(task.params, task.paramsPath)) if (text.includes('{{')) yield [text, path, playNames];
    }
  }
}

export function templateSyntaxErrors(playbook: Playbook): InputError[] {
  const errors: InputError[] = [];
  for (const [text, path] of templatedStrings(playbook)) {
    try {
      checkSyntax(text);
    } catch (e) {
      if (e instanceof TemplateError) errors.push(playbook.source.error(e.message, path));
      else throw e;
    }
  }
  return errors;
}

/** Variables needed but defined nowhere in `known` (nor in the play's own vars). */
export function undefinedVariableErrors(playbook: Playbook, known: ReadonlySet<string>): InputError[] {
  const errors: InputError[] = [];
  for (const [text, path, playNames] of templatedStrings(playbook)) {
    for (const name of requiredNames(text)) {
      if (known.has(name) || playNames.has(name) || BUILTIN_VARIABLES.includes(name)) continue;
      const hint = closest(name, [...known, ...playNames, ...BUILTIN_VARIABLES]);
      errors.push(playbook.source.error(`undefined variable '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`, path));
    }
  }
  return errors;
}
