// Template checks that need no host: every `{{ }}` can be read, and (when the inventory
// is known) every variable it needs is defined somewhere — play vars, the inventory, -e.
import type { InputError } from '../errors.ts';
import type { YamlPath, YamlSource } from '../yaml-source.ts';
import { isControllerAction } from './controller-actions.ts';
import { INCLUDE_VARS_MODULE, namesIncludeVarsMaySet } from './include-vars.ts';
import type { Playbook, TaskSpec } from './plays.ts';
import { closest } from './suggest.ts';
import { checkSyntax, conditionRequires, hasTemplate, requiredNames, TemplateError, ValueTooLarge, variableLookup } from './template.ts';

/**
 * Variables every host has without anyone defining them: Ansible's magic variables
 * (engine/magic-vars.ts makes them; a unit test holds the two lists equal). `ansible_limit`
 * exists only with --limit, and role_name/role_path only in a role, as in Ansible; validate
 * accepts them anywhere.
 */
export const BUILTIN_VARIABLES = [
  ...['inventory_hostname', 'inventory_hostname_short', 'group_names', 'inventory_file', 'inventory_dir'],
  ...['groups', 'hostvars', 'omit', 'playbook_dir', 'ansible_playbook_python', 'ansible_config_file', 'ansible_version'],
  ...['ansible_check_mode', 'ansible_diff_mode', 'ansible_forks', 'ansible_verbosity', 'ansible_limit'],
  ...['ansible_run_tags', 'ansible_skip_tags', 'ansible_inventory_sources'],
  ...['ansible_play_name', 'ansible_play_hosts_all', 'ansible_play_hosts', 'ansible_play_batch', 'play_hosts'],
  ...['role_names', 'ansible_role_names', 'ansible_play_role_names', 'role_name', 'ansible_role_name', 'role_path'],
];

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

interface Checked {
  /** A string holding `{{ }}` templates, or a `when:` expression. */
  text: string;
  expression: boolean;
  path: YamlPath;
  /** The file it is in (the playbook, an imported task file, a role's). */
  source: YamlSource;
  /** Names defined where this text is read (the play's vars, a loop's item, a role's variables). */
  local: ReadonlySet<string>;
}

function* checkedStrings(playbook: Playbook): Generator<Checked> {
  const source = playbook.source;
  const setByIncludeVars = playbook.plays.flatMap((play) => [...play.tasks, ...play.handlers].flatMap(varsSetBy));
  for (const [p, play] of playbook.plays.entries()) {
    // Every role's defaults and vars reach the whole play (host-lookup.ts).
    const playNames = new Set([
      ...Object.keys(play.vars),
      ...(play.roles ?? []).flatMap((r) => [...Object.keys(r.defaults), ...Object.keys(r.vars)]),
      // What include_vars tasks may set (their file's names, or every vars file's they could
      // read), set_fact's names and registered results, in any play: they stay for the rest of the run.
      ...setByIncludeVars,
    ]);
    for (const [text, path] of strings(play.vars, [p, 'vars'])) if (hasTemplate(text)) yield { text, expression: false, path, source, local: playNames };
    for (const c of play.when) yield { text: c.expr, expression: true, path: c.path, source: c.source, local: playNames };
    yield* taskStrings([...play.tasks, ...play.handlers], playNames);
  }
}

/** The texts of these tasks (and of the tasks their includes read with the playbook). */
function* taskStrings(tasks: readonly TaskSpec[], playNames: ReadonlySet<string>): Generator<Checked> {
  for (const task of tasks) {
    const scope = task.scope ? [...Object.keys(task.scope.defaults), ...Object.keys(task.scope.vars), ...Object.keys(task.scope.params)] : [];
    const own = task.vars ? Object.keys(task.vars) : [];
    const outer = scope.length + own.length > 0 ? new Set([...playNames, ...scope, ...own]) : playNames;
    const local = task.loop ? new Set([...outer, task.loop.loopVar]) : outer;
    const from = task.source;
    for (const [text, path] of strings(task.params, task.paramsPath)) if (hasTemplate(text)) yield { text, expression: false, path, source: from, local };
    if (task.vars) for (const [text, path] of strings(task.vars, [...task.paramsPath.slice(0, -1), 'vars'])) if (hasTemplate(text)) yield { text, expression: false, path, source: from, local };
    for (const c of task.when) yield { text: c.expr, expression: true, path: c.path, source: c.source, local };
    if (task.loop) {
      for (const [text, path] of strings(task.loop.items, task.loop.path)) if (hasTemplate(text)) yield { text, expression: false, path, source: from, local: outer };
      if (task.loop.label !== undefined) yield { text: task.loop.label, expression: false, path: [...task.loop.path.slice(0, -1), 'loop_control', 'label'], source: from, local };
    }
    // The included tasks see the include's vars and loop item.
    if (task.include?.tasks) yield* taskStrings(task.include.tasks, local);
  }
}

export function templateSyntaxErrors(playbook: Playbook): InputError[] {
  const errors: InputError[] = [];
  for (const { text, expression, path, source } of checkedStrings(playbook)) {
    if (expression) continue; // read when the playbook was loaded
    try {
      checkSyntax(text);
    } catch (e) {
      if (e instanceof TemplateError) errors.push(source.error(e.message, path));
      else throw e;
    }
  }
  return errors;
}

/** Variables needed but defined nowhere in `known` (nor in the play's own vars). */
export function undefinedVariableErrors(playbook: Playbook, known: ReadonlySet<string>): InputError[] {
  const errors: InputError[] = [];
  for (const { text, expression, path, source, local } of checkedStrings(playbook)) {
    const needed = expression ? conditionRequires(text) : requiredNames(text);
    for (const name of needed) {
      if (known.has(name) || local.has(name) || BUILTIN_VARIABLES.includes(name)) continue;
      const hint = closest(name, [...known, ...local, ...BUILTIN_VARIABLES]);
      errors.push(source.error(`undefined variable '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`, path));
    }
  }
  return errors;
}

/** Raised when a value needs a host's variables or facts: the check below leaves it for run time. */
class NeedsHost extends Error {}

/**
 * A play's vars that, with the play alone, make a value over the size limit (variables
 * that double): an input error at the variable, before any host. A value that needs a
 * host's variables or facts is bounded the same way when a host renders it.
 */
export function playVarsLimitErrors(playbook: Playbook): InputError[] {
  const errors: InputError[] = [];
  for (const [p, play] of playbook.plays.entries()) {
    const lookup = variableLookup([play.vars], () => {
      throw new NeedsHost();
    });
    for (const [name, value] of Object.entries(play.vars)) {
      if (![...strings(value, [])].some(([text]) => hasTemplate(text))) continue;
      try {
        lookup(name);
      } catch (e) {
        if (e instanceof ValueTooLarge) {
          const culprit = e.variable ?? name;
          errors.push(playbook.source.error(`vars: ${culprit}: ${e.message.replace(/^variable '[^']*': /, '')}`, [p, 'vars', culprit], true));
          break;
        }
        // Anything else (an undefined name, a host's variable) is for run time, as before.
      }
    }
  }
  return errors;
}

/** The names an include_vars, set_fact or registering task (or one its includes read with the playbook) may set. */
function varsSetBy(task: TaskSpec): string[] {
  const module = task.module;
  const set = [...(task.register !== undefined ? [task.register] : []), ...(isControllerAction(module) ? (module.sets?.(task.params) ?? []) : [])];
  const own = task.module === INCLUDE_VARS_MODULE ? (() => {
    const { file, name } = task.params as { file?: unknown; name?: unknown };
    return typeof file === 'string' ? namesIncludeVarsMaySet(file, task.varsDirs ?? [], typeof name === 'string' ? name : undefined) : [];
  })() : [];
  return [...set, ...own, ...(task.include?.tasks ?? []).flatMap(varsSetBy)];
}
