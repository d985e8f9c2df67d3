// Which module a task calls and with what arguments, from every form Ansible 2.14 accepts
// (its ModuleArgsParser, then Task's `cmd` → `_raw_params` step):
//   copy: src=a dest=b            copy: { src: a, dest: b }        command: ls -l creates=/x
//   action: copy src=a dest=b     action: { module: copy, src: a }  local_action: shell echo hi
//   any of them with `args:` underneath (the lower-priority arguments).
// The answer is Ansible's own shape: the module as written, its arguments (k=v values
// are strings), and delegate_to (`localhost` for local_action).
import { tokenize } from '../../template/lexer.ts';
import { emptyVars, type VarMap } from '../../vars.ts';
import { ArgsError, parseKv, splitModuleString } from './kv.ts';

/** Keys of a task that are keywords (Task and Handler attributes in ansible-core 2.14), never a module. */
export const TASK_ATTRIBUTES: ReadonlySet<string> = new Set([
  'action', 'any_errors_fatal', 'args', 'async', 'async_val', 'become', 'become_exe', 'become_flags', 'become_method', 'become_user',
  'changed_when', 'check_mode', 'collections', 'connection', 'debugger', 'delay', 'delegate_facts', 'delegate_to', 'diff', 'environment',
  'failed_when', 'ignore_errors', 'ignore_unreachable', 'listen', 'local_action', 'loop', 'loop_control', 'loop_with', 'module_defaults',
  'name', 'no_log', 'notify', 'poll', 'port', 'register', 'remote_user', 'retries', 'run_once', 'static', 'tags', 'throttle', 'timeout',
  'until', 'vars', 'when',
]);

/** A bare name with the two names Ansible gives its own actions. */
function withInternal(names: string[]): Set<string> {
  return new Set(names.flatMap((n) => (n.includes('.') ? [n] : [n, `ansible.builtin.${n}`, `ansible.legacy.${n}`])));
}

/** Modules whose arguments are free text (`command: ls -l`). */
export const FREE_FORM_ACTIONS = withInternal(['command', 'win_command', 'ansible.windows.win_command', 'shell', 'win_shell', 'ansible.windows.win_shell', 'raw', 'script']);
/** Actions that may have words that are not `k=v` (`_raw_params`). */
export const RAW_PARAM_ACTIONS = new Set([
  ...FREE_FORM_ACTIONS,
  ...withInternal(['include', 'include_vars', 'include_tasks', 'include_role', 'import_tasks', 'import_role', 'add_host', 'group_by', 'set_fact', 'meta']),
]);
/** Actions Ansible knows without looking for a plugin. */
const BUILTIN_TASKS = withInternal(['meta', 'include', 'include_tasks', 'include_role', 'import_tasks', 'import_role']);
/** Actions whose `cmd` argument is their free text. */
const HAS_CMD = withInternal(['command', 'shell', 'script']);

export type ActionErrorKind =
  | ArgsError['kind']
  | 'conflicting'
  | 'mutually-exclusive'
  | 'unresolved'
  | 'no-action'
  | 'extra-params'
  | 'complex-args'
  | 'unexpected-type'
  | 'internal-param'
  | 'cmd-and-raw';

/** A task whose action cannot be read; `key` is the task key it is about, when one is. */
export class ActionError extends Error {
  constructor(
    readonly kind: ActionErrorKind,
    message: string,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

export interface ParsedAction {
  /** The module as the task wrote it (`copy`, `ansible.builtin.copy`). */
  action: string;
  args: VarMap;
  /** `localhost` for local_action; the task's own delegate_to otherwise (undefined when absent). */
  delegateTo?: unknown;
  /** The task key the module came from (the module's name, `action` or `local_action`). */
  key: string;
}

/** Templar.is_template: the text holds a `{{ }}`, `{% %}` or `{# #}` span that lexes. */
export function isTemplate(text: string): boolean {
  if (!/\{[{%#]/.test(text)) return false;
  const comment = text.indexOf('{#');
  const firstSpan = text.search(/\{[{%]/);
  if (comment >= 0 && (firstSpan < 0 || comment < firstSpan)) return text.indexOf('#}', comment + 2) >= 0;
  try {
    const tokens = tokenize(text);
    const begin = tokens.findIndex((t) => t.type === 'var_begin' || t.type === 'block_begin');
    if (begin < 0) return false;
    const want = tokens[begin]!.type === 'var_begin' ? 'var_end' : 'block_end';
    return tokens.slice(begin + 1).find((t) => t.type === 'var_end' || t.type === 'block_end')?.type === want;
  } catch {
    return false;
  }
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Date) return 'date';
  return typeof v;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

function copyMap(v: Record<string, unknown>): VarMap {
  return Object.assign(emptyVars(), v);
}

/** Arguments of an action whose module is known (the `module: …` key form). */
function newStyleArgs(thing: unknown, action: string): VarMap | null {
  if (isMapping(thing)) return copyMap(thing);
  if (typeof thing === 'string') return parseKv(thing, FREE_FORM_ACTIONS.has(action));
  if (thing === null || thing === undefined) return null;
  throw new ActionError('unexpected-type', `unexpected parameter type in action: ${typeName(thing)}`, action);
}

/** `action:` / `local_action:` — a string `module k=v…` or a mapping with `module:`. */
function oldStyleArgs(thing: unknown, key: string): { action: string | null; args: VarMap | null } {
  if (isMapping(thing)) {
    if (!('module' in thing)) return { action: null, args: null };
    if (typeof thing.module !== 'string') throw new ActionError('unexpected-type', `${key}: module: a module name (and k=v arguments), not ${typeName(thing.module)}`, key);
    const [action, rest] = splitModuleString(thing.module);
    const args = copyMap(thing);
    Object.assign(args, parseKv(rest, FREE_FORM_ACTIONS.has(action)));
    delete args.module;
    return { action, args };
  }
  if (typeof thing === 'string') {
    const [action, rest] = splitModuleString(thing);
    return { action, args: parseKv(rest, FREE_FORM_ACTIONS.has(action)) };
  }
  throw new ActionError('unexpected-type', `unexpected parameter type in action: ${typeName(thing)}`, key);
}

function normaliseParameters(thing: unknown, action: string | null, additional: unknown, key: string): { action: string | null; args: VarMap } {
  const finalArgs = emptyVars();
  // Python truthiness: an empty args:, 0, false or '' adds nothing.
  if (additional !== null && additional !== undefined && additional !== false && additional !== 0 && additional !== '' && !(isMapping(additional) && Object.keys(additional).length === 0)) {
    if (typeof additional === 'string') {
      if (!isTemplate(additional)) {
        throw new ActionError('complex-args', "args: a mapping, or one template ('{{ var_name }}'); a bare variable name is not expanded", 'args');
      }
      finalArgs._variable_params = additional;
    } else if (isMapping(additional)) Object.assign(finalArgs, additional);
    else throw new ActionError('complex-args', 'args: a mapping, or one template giving one ("{{ var }}")', 'args');
  }
  let args: VarMap | null;
  if (action !== null) args = newStyleArgs(thing, action);
  else {
    ({ action, args } = oldStyleArgs(thing, key));
    if (args && 'args' in args) {
      const inner = args.args;
      delete args.args;
      if (typeof inner === 'string') Object.assign(args, parseKv(inner));
      else if (isMapping(inner)) Object.assign(args, inner);
      else if (inner !== null && inner !== undefined) throw new ActionError('complex-args', `${key}: args: a mapping or k=v text`, key);
    }
  }
  if (args && action !== null && !FREE_FORM_ACTIONS.has(action)) {
    const internal = Object.keys(args).find((k) => k.startsWith('_ansible_'));
    if (internal) throw new ActionError('internal-param', `invalid parameter specified for action '${action}': '${internal}' (names starting _ansible_ are Ansible's own)`, key);
  }
  if (args) Object.assign(finalArgs, args);
  return { action, args: finalArgs };
}

export interface ActionContext {
  /** Whether a key that is not a keyword names a module (Ansible asks its plugin loaders, through `collections`). */
  isModule(name: string): boolean;
}

/** The module, its arguments and delegate_to of one task mapping, as Ansible 2.14 reads them. */
export function parseAction(task: Record<string, unknown>, ctx: ActionContext): ParsedAction {
  let action: string | null = null;
  let args = emptyVars();
  let delegateTo: unknown = task.delegate_to;
  let from = '';
  const additional = 'args' in task ? task.args : undefined;
  const wrap = (key: string, run: () => { action: string | null; args: VarMap }) => {
    try {
      return run();
    } catch (e) {
      if (e instanceof ArgsError) throw new ActionError(e.kind, e.message, key);
      throw e;
    }
  };
  if ('action' in task) {
    ({ action, args } = wrap('action', () => normaliseParameters(task.action, null, additional, 'action')));
    from = 'action';
  }
  if ('local_action' in task) {
    if (action !== null) throw new ActionError('mutually-exclusive', 'action and local_action are mutually exclusive (local_action is action with delegate_to: localhost)', 'local_action');
    delegateTo = 'localhost';
    ({ action, args } = wrap('local_action', () => normaliseParameters(task.local_action, null, additional, 'local_action')));
    from = 'local_action';
  }
  const others = Object.keys(task).filter((k) => !TASK_ATTRIBUTES.has(k) && !k.startsWith('with_'));
  for (const key of others) {
    if (!BUILTIN_TASKS.has(key) && !ctx.isModule(key)) continue;
    if (action !== null) throw new ActionError('conflicting', `conflicting action statements: ${action}, ${key} (a task calls one module)`, key);
    ({ action, args } = wrap(key, () => normaliseParameters(task[key], key, additional, key)));
    from = key;
  }
  if (action === null) {
    if (others.length > 0) throw new ActionError('unresolved', `couldn't resolve module/action '${others[0]}'`, others[0]);
    throw new ActionError('no-action', 'no module/action detected in task');
  }
  const raw = args._raw_params;
  if (raw !== undefined && raw !== '' && !RAW_PARAM_ACTIONS.has(action)) {
    delete args._raw_params;
    if (typeof raw === 'string' && isTemplate(raw)) args._variable_params = raw;
    else {
      throw new ActionError(
        'extra-params',
        `${action} takes k=v arguments only; these words are not k=v: ${typeof raw === 'string' ? raw : JSON.stringify(raw)} (free text is for command, shell, raw, script, include_*, import_*, set_fact, add_host, group_by, meta)`,
        from,
      );
    }
  }
  if (HAS_CMD.has(action) && 'cmd' in args) {
    if (args._raw_params !== undefined && args._raw_params !== '') {
      throw new ActionError('cmd-and-raw', `${action}: cmd: and free-form command text together; put the command in one of them`, from);
    }
    args._raw_params = args.cmd;
    delete args.cmd;
  }
  return { action, args, key: from, ...(delegateTo !== undefined ? { delegateTo } : {}) };
}
