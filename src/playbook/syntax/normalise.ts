// The one place a raw task entry is normalised, before the rest of the loader sees it.
// Every form Ansible 2.14 reads a task in — `k=v` text, free-form commands, `args:`,
// `action:` and `local_action:`, full module names, `collections:`, the legacy
// `include:` — becomes tend's one shape: the task's keywords and `MODULE: { params }`
// (or `import_tasks: FILE`). A form tend cannot run yet is refused here, at its place
// in the file, with a sentence naming it; nothing is dropped silently.
import type { InputError } from '../../errors.ts';
import type { TaskModule } from '../../module.ts';
import type { YamlPath, YamlSource } from '../../yaml-source.ts';
import { ActionError, parseAction, TASK_ATTRIBUTES, type ParsedAction } from './action.ts';
import { convertTypes, MISSING_FREE_FORM, octalMode, ParamsError, paramsFor } from './free-form.ts';
import { META_ACTIONS, META_NOT_YET } from '../meta.ts';
import { INCLUDE_ACTIONS, readInclude } from './include.ts';
import { numberFormat } from './yaml11.ts';

export interface SyntaxOptions {
  modules: ReadonlyMap<string, TaskModule>;
  /** Whether the loader reads this task key itself (a keyword it runs, or one it refuses with advice). */
  isKeyword(key: string): boolean;
}

/** Where each normalised task's module parameters were written, for later complaints. */
const paramsPaths = new WeakMap<object, YamlPath>();

export function paramsPathOf(task: object): YamlPath | undefined {
  return paramsPaths.get(task);
}

const IMPORT_TASKS = new Set(['import_tasks', 'ansible.builtin.import_tasks', 'ansible.legacy.import_tasks']);
const INCLUDE_TASKS = new Set(['include_tasks', 'ansible.builtin.include_tasks', 'ansible.legacy.include_tasks']);
const META = new Set(['meta', 'ansible.builtin.meta', 'ansible.legacy.meta']);
const INCLUDE_VARS = new Set(['include_vars', 'ansible.builtin.include_vars', 'ansible.legacy.include_vars']);

/** Keys the normaliser consumes: they never reach the loader. */
const CONSUMED = new Set(['action', 'local_action', 'args', 'collections']);

function bare(action: string): string {
  return action.replace(/^ansible\.(?:builtin|legacy)\./, '');
}

/**
 * A task entry in tend's shape, or null when it was refused (the reason is in `errors`).
 * `collections` is the list the play (or role) gives, when any.
 */
export function normaliseTask(
  options: SyntaxOptions,
  source: YamlSource,
  raw: Record<string, unknown>,
  path: YamlPath,
  errors: InputError[],
  collections?: unknown,
): Record<string, unknown> | null {
  const refuse = (message: string, key?: string) => {
    errors.push(source.error(message, key === undefined ? path : [...path, key], key !== undefined));
    return null;
  };
  const listed = 'collections' in raw ? raw.collections : collections;
  if (listed !== undefined && listed !== null && (!Array.isArray(listed) || listed.some((c) => typeof c !== 'string' || !/^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/.test(c)))) {
    return refuse('collections: a list of collection names (namespace.name), such as [community.general]', 'collections' in raw ? 'collections' : undefined);
  }
  if ('static' in raw) return refuse("'static' is not a task keyword in Ansible 2.14; import_tasks is static, include_tasks dynamic", 'static');

  let parsed: ParsedAction;
  try {
    parsed = parseAction(raw, { isModule: () => true });
  } catch (e) {
    if (!(e instanceof ActionError)) throw e;
    // No module, or several: the loader says which, with its hints (did you mean …).
    const plain = !('action' in raw) && !('local_action' in raw);
    if (plain && (e.kind === 'no-action' || e.kind === 'conflicting' || e.kind === 'unresolved')) return raw;
    return refuse(e.message, e.key);
  }
  const { action, args, key } = parsed;
  if (key === 'local_action') {
    return refuse(
      `local_action: ${action} runs on the controller (delegate_to: localhost); tend has no delegation yet: put the task in a play for localhost (connection: local)`,
      'local_action',
    );
  }
  if (INCLUDE_ACTIONS.has(action)) {
    const reading = readInclude(action, key, args, raw);
    if ('refused' in reading) return refuse(reading.refused, reading.key);
    return reading.task;
  }
  if (INCLUDE_VARS.has(action)) {
    // `include_vars: FILE`, `file=FILE`, `{ file: FILE, name: KEY }` (include-vars.ts).
    const file = args._raw_params !== undefined && args._raw_params !== '' ? args._raw_params : args.file;
    const extra = Object.keys(args).find((k) => !['_raw_params', 'file', 'name'].includes(k));
    if (extra) return refuse(`${action}: '${extra}' is not in tend yet (it takes a file, and name:)`, key);
    if (typeof file !== 'string' || file === '') return refuse(`${action}: a file name`, key);
    const out: Record<string, unknown> = { include_vars: { file, ...(args.name !== undefined ? { name: args.name } : {}) } };
    for (const [k, v] of Object.entries(raw)) if (k !== key && !CONSUMED.has(k)) out[k] = v;
    return out;
  }
  if (META.has(action)) {
    // `meta: flush_handlers`: the loader reads it as the meta directive (meta.ts).
    const what = args._raw_params ?? args.free_form;
    const extra = Object.keys(args).find((k) => k !== '_raw_params' && k !== 'free_form');
    if (extra || typeof what !== 'string') return refuse(`${action}: one directive (flush_handlers, noop, end_host, end_play)`, key);
    if (Object.hasOwn(META_NOT_YET, what)) return refuse(`${action}: ${META_NOT_YET[what]}`, key);
    if (!(META_ACTIONS as readonly string[]).includes(what)) return refuse(`${action}: '${what}' is not a meta directive (flush_handlers, noop, end_host, end_play, …)`, key);
    const out: Record<string, unknown> = { meta: { action: what } };
    for (const [k, v] of Object.entries(raw)) if (k !== key && !CONSUMED.has(k)) out[k] = v;
    return out;
  }
  if (INCLUDE_TASKS.has(action)) {
    // `include_tasks: FILE`, `file=FILE` or `{ file: FILE }`: read when a host reaches it (include-tasks.ts).
    const file = args._raw_params !== undefined && args._raw_params !== '' ? args._raw_params : args.file;
    const extra = Object.keys(args).find((k) => k !== '_raw_params' && k !== 'file' && k !== 'apply');
    if (extra) return refuse(`${action}: takes a file name (and apply:); not '${extra}' (Invalid options for include_tasks)`, key);
    if (args.apply !== undefined) return refuse(`${action}: apply: (keywords for the included tasks) is not in tend yet; put them on the included tasks, or in a block: around them`, key);
    const out: Record<string, unknown> = { include_tasks: file ?? null };
    for (const [k, v] of Object.entries(raw)) if (k !== key && !CONSUMED.has(k)) out[k] = v;
    return out;
  }
  if (IMPORT_TASKS.has(action)) {
    // `import_tasks: FILE`, `import_tasks: file=FILE` or `{ file: FILE }`: the loader reads the file.
    const file = args._raw_params !== undefined && args._raw_params !== '' ? args._raw_params : args.file;
    const extra = Object.keys(args).find((k) => k !== '_raw_params' && k !== 'file');
    if (extra) return refuse(`${action}: takes a file name; not '${extra}' (Invalid options for import_tasks)`, key);
    const out: Record<string, unknown> = { import_tasks: file ?? null };
    for (const [k, v] of Object.entries(raw)) if (k !== key && !CONSUMED.has(k)) out[k] = v;
    return out;
  }
  for (const k of Object.keys(raw)) {
    if (k === key || CONSUMED.has(k) || options.isKeyword(k)) continue;
    if (TASK_ATTRIBUTES.has(k)) return refuse(`'${k}' is an Ansible task keyword tend does not support yet`, k);
  }
  const module = options.modules.get(action);
  const short = bare(action);
  if (!module && !short.includes('.') && Object.hasOwn(MISSING_FREE_FORM, short)) return refuse(`${action}: ${MISSING_FREE_FORM[short]}`, key);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (k !== key && !CONSUMED.has(k)) out[k] = v;
  const name = module?.name ?? action;
  let params: unknown = args;
  if (module) {
    try {
      params = paramsFor(module.name, action, args);
      if (params !== null && typeof params === 'object' && !Array.isArray(params)) {
        const map = params as Record<string, unknown>;
        if (typeof map.mode === 'number') map.mode = octalMode(map.mode, numberFormat(source, modePath(raw, key, path)));
        convertTypes(module.params, map);
      }
    } catch (e) {
      if (!(e instanceof ParamsError)) throw e;
      if (e.param !== 'mode') return refuse(e.message, key);
      errors.push(source.error(e.message, modePath(raw, key, path)));
      return null;
    }
  }
  out[name] = params;
  paramsPaths.set(out, [...path, key]);
  return out;
}

/** Where a task's `mode:` was written: under the module, under `args:`, or in `action:`'s mapping. */
function modePath(raw: Record<string, unknown>, key: string, path: YamlPath): YamlPath {
  const under = raw[key];
  if (under !== null && typeof under === 'object' && 'mode' in under) return [...path, key, 'mode'];
  return [...path, 'args', 'mode'];
}
