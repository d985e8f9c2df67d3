// Playbook YAML → validated Plays. Everything that can be checked without a host is
// checked here, and every complaint carries file:line:col.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { InputError, throwIfAny } from '../errors.ts';
import { emptyVars, mergeVars } from '../vars.ts';
import type { TaskModule } from '../module.ts';
import type { YamlPath, YamlSource } from '../yaml-source.ts';
import { paramsPathOf } from './syntax/normalise.ts';
import { readAnsibleYaml } from './syntax/yaml11.ts';
import { checkCondition, checkSyntax, hasTemplate, render, TemplateError } from './template.ts';
import { closest } from './suggest.ts';
import { OLD_MODULES } from './syntax/old-shapes.ts';
import { playVarsLimitErrors, templateSyntaxErrors } from './variables.ts';
import { newExpansion, readRoles, readTaskList, type Inherited, type ReadContext } from './includes.ts';
import { INCLUDE_TASKS_MODULE } from './include-tasks.ts';
import { INCLUDE_VARS_MODULE, varsSearchDirs } from './include-vars.ts';
import { LOOKUP_PLUGINS } from './loops.ts';
import { META_MODULE } from './meta.ts';
import { removeOmit } from './omit.ts';
import { readResultKeywords, resultKeywordShapes } from './register.ts';
import { WithControllerActions } from './actions.ts';
import type { Condition, Play, Playbook, TaskSpec } from './plays.ts';

const TASK_KEYWORDS = new Set([
  'name', 'notify', 'listen', 'timeout', 'when', 'loop', 'loop_control', 'tags', 'ignore_errors', 'changed_when', 'become', 'become_user', 'environment', 'no_log',
  'vars', 'check_mode', 'register', 'failed_when', 'until', 'retries', 'delay',
]);

/** Play keywords of Ansible 2.14 (ansible-doc -t keyword -l) that a play in tend does not take. */
const ANSIBLE_PLAY_KEYWORDS = new Set([
  'any_errors_fatal', 'become_exe', 'become_flags', 'become_method', 'become_user', 'check_mode', 'connection', 'debugger', 'diff',
  'environment', 'fact_path', 'force_handlers', 'gather_subset', 'gather_timeout', 'ignore_errors', 'ignore_unreachable',
  'module_defaults', 'no_log', 'order', 'port', 'remote_user', 'run_once', 'strategy', 'throttle', 'timeout', 'vars_prompt',
]);

/** `with_NAME:` is a loop keyword for any lookup plugin NAME (loops.ts). */
const isTaskKeyword = (k: string) => TASK_KEYWORDS.has(k) || k.startsWith('with_');

/** Task keywords an Ansible user may write, with what to do in tend instead. */
const UNSUPPORTED_KEYWORDS: Record<string, string> = {
  delegate_to: 'put the task in a play whose hosts are the machines it must run on',
  local_action: 'put the task in a play for localhost (connection: local)',
  block: 'list the tasks one after another',
  rescue: 'a failed task stops its host; fix the cause and run again',
  always: 'use a handler for what must follow a change',
  include_role: 'list the role under the play\'s roles:',
  import_role: 'list the role under the play\'s roles:',
  async: 'a task runs until it ends (or --task-timeout)',
  poll: 'a task runs until it ends (or --task-timeout)',
  run_once: 'put the task in a play for one host',
};

const conditions = z
  .union([z.string().min(1), z.boolean(), z.array(z.union([z.string().min(1), z.boolean()])).min(1)])
  .describe('an expression (or a list of them, all of which must hold): ansible_distribution == "Debian", x is defined, "web" in group_names');
const tagList = z.union([z.string().min(1), z.array(z.string().min(1))]).describe('tags, for --tags and --skip-tags (always, never as in Ansible)');

const taskShape = z
  .object({
    name: z.string().min(1).optional(),
    notify: z.union([z.string(), z.array(z.string())]).optional(),
    listen: z.union([z.string(), z.array(z.string())]).optional(),
    timeout: z.number().int().min(0).optional().describe("seconds the task's commands may run (0: no limit); default --task-timeout"),
    when: conditions.optional(),
    loop: z
      .union([z.array(z.unknown()), z.string().regex(/^\s*\{\{.*\}\}\s*$/s, 'loop: a list, or one {{ expression }} that gives a list')])
      .optional()
      .describe('the items: one task instance each, as `item` (or loop_control.loop_var)'),
    loop_control: z
      .object({
        loop_var: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'loop_var: a variable name').optional(),
        label: z.string().min(1).optional().describe('how an item is shown, e.g. "{{ item.name }}"'),
      })
      .strict()
      .optional(),
    tags: tagList.optional(),
    ignore_errors: z
      .union([z.boolean(), z.string().regex(/^\s*\{\{.*\}\}\s*$/s, 'true, false, or one {{ expression }}')])
      .optional()
      .describe('a failure is reported, and the host goes on (a template: decided per host and item)'),
    ...resultKeywordShapes,
    become: z.boolean().optional().describe("this task as another user (become_user, else root), whatever the play's become"),
    become_user: z.string().regex(/^[a-z_][a-z0-9_.-]*\$?$/i, 'become_user: a user name').optional(),
    no_log: z
      .union([z.boolean(), z.string().regex(/^\s*\{\{.*\}\}\s*$/s, 'true, false, or one {{ expression }}')])
      .optional()
      .describe("true: the task's output is hidden (loop labels, changed values, errors, command output); its status is shown"),
    environment: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe("variables in the environment of the task's probe and commands"),
    vars: z.record(z.string(), z.unknown()).optional().describe("variables of this task only (above the inventory's and the role's, below role parameters and -e)"),
    check_mode: z
      .boolean()
      .optional()
      .describe('true: this task only says what it would do, even in apply; false: it runs, even in check (it may change the host then)'),
  })
  .catchall(z.unknown());

const serialItem = z.union([
  z.number().int().min(0),
  z.string().regex(/^\d+%$/, 'a number of hosts or a percentage such as "25%"'),
]);

const playShape = z
  .object({
    name: z.string().optional(),
    // Required, as in Ansible: a play that forgot it must not run everywhere.
    hosts: z.string({ error: (i) => (i.input === undefined ? 'a play needs `hosts:` (a host pattern such as `all` or a group name)' : undefined) }).min(1),
    vars: z.record(z.string(), z.unknown()).default({}),
    become: z.boolean().default(false),
    gather_facts: z.boolean().optional().describe('accepted for Ansible playbooks; tend reads state per task'),
    tasks: z.array(taskShape).default([]),
    pre_tasks: z.array(taskShape).default([]).describe('tasks before the roles; the handlers they notify run right after them'),
    post_tasks: z.array(taskShape).default([]).describe('tasks after the play\'s tasks, once the handlers notified so far have run'),
    vars_files: z
      .array(z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]))
      .optional()
      .describe('files of variables beside the playbook, over the play\'s vars (a list in it: the first that exists)'),
    handlers: z.array(taskShape).default([]),
    roles: z.array(z.unknown()).optional().describe('roles/NAME next to the playbook: a name, or { role: NAME, …parameters }; their tasks run first'),
    when: conditions.optional(),
    tags: tagList.optional(),
    collections: z.array(z.string().regex(/^\w+\.\w+$/, 'a collection name: namespace.name')).optional().describe('collections bare module names are looked up in, as in Ansible'),
    verify: z
      .array(z.string().min(1))
      .default([])
      .describe('shell commands `tend smoke` runs on each host after converging; each must exit 0'),
    serial: z
      .union([serialItem, z.array(serialItem).min(1, 'a list of wave sizes needs at least one')])
      .optional()
      .describe('rolling waves: hosts per wave (a number, "N%" of the play\'s hosts, or a list whose last item repeats)'),
    max_fail_percentage: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe('stop the rollout when more than this percentage of a wave\'s hosts fail'),
  })
  .strict();

const playbookShape = z.array(playShape).min(1, 'a playbook is a list of plays (at least one)');

/** What the reader of a playbook is told by whoever will select its hosts. */
export interface LoadOptions {
  /** Why a play's `hosts:` pattern cannot be read (host patterns are the inventory's grammar), or undefined. */
  hostPatternError?: (pattern: string) => string | undefined;
}

export function loadPlaybook(file: string, registry: ReadonlyMap<string, TaskModule>, text?: string, options: LoadOptions = {}): Playbook {
  const modules = new WithControllerActions(registry);
  const source = readAnsibleYaml(file, text);
  const data = source.toJS();
  if (!Array.isArray(data)) throw source.error('a playbook is a list of plays (each starting with `- hosts: …`)', []);
  const notPlay = data.findIndex((play) => play === null || typeof play !== 'object' || Array.isArray(play));
  if (notPlay >= 0) throw source.error(`each play is a mapping that starts with \`- hosts: …\`, not ${describeValue(data[notPlay])}`, [notPlay]);
  const parsed = playbookShape.safeParse(data);
  if (!parsed.success) throwIfAny(zodErrors(source, parsed.error, [], data, '', Object.keys(playShape.shape)));
  const plays = parsed.data!;
  const errors: InputError[] = [];
  const ctx: ReadContext = {
    modules,
    errors,
    readTask: (from, task, path, number, inherited) => readTask(from, modules, task, path, number, errors, inherited),
    readConditions: (from, when, path) => readConditions(from, when, path, errors),
    importing: [resolve(file)],
    expansion: newExpansion(),
    syntax: { modules, isKeyword: (k) => isTaskKeyword(k) || k in UNSUPPORTED_KEYWORDS },
  };
  const data2 = data as Record<string, unknown>[];
  const result: Play[] = plays.map((play, p) => {
    const later = { number: 0 };
    const inherited: Inherited = { tags: asList(play.tags), when: [], baseDir: dirname(file), collections: play.collections, later, playbookDir: dirname(resolve(file)) };
    const next = { number: 1 };
    const patternError = hasTemplate(play.hosts) ? undefined : options.hostPatternError?.(play.hosts);
    if (patternError) errors.push(source.error(patternError, [p, 'hosts']));
    // Raw entries: an import is not a task, and each is checked where it is read.
    const raw = data2[p]!;
    // As Ansible orders them: pre_tasks, roles, tasks, post_tasks; the handlers notified so
    // far run after the pre_tasks, after the tasks and at the end.
    const preTasks = readTaskList(ctx, source, (raw.pre_tasks as unknown[]) ?? [], [p, 'pre_tasks'], next, inherited);
    const roles = readRoles(ctx, source, play.roles, [p, 'roles'], dirname(resolve(file)), next, inherited);
    const mainTasks = [...roles.tasks, ...readTaskList(ctx, source, (raw.tasks as unknown[]) ?? [], [p, 'tasks'], next, inherited)];
    const postTasks = readTaskList(ctx, source, (raw.post_tasks as unknown[]) ?? [], [p, 'post_tasks'], next, inherited);
    const tasks = [...preTasks, ...mainTasks, ...postTasks];
    const flushAfter = [preTasks.length, preTasks.length + mainTasks.length].filter((n, k, all) => n > 0 && n < tasks.length && all.indexOf(n) === k);
    const errorsBefore = errors.length;
    const handlers = [...roles.handlers(next), ...readTaskList(ctx, source, (raw.handlers as unknown[]) ?? [], [p, 'handlers'], next, inherited)];
    // Tasks read when a host reaches an include are numbered after everything read now.
    later.number = next.number;
    // Every notified handler must exist in the play; when a handler could not be read, its
    // error says why, and a notify naming it would only repeat it as "no handler".
    const answers = new Set(handlers.flatMap((h) => h.listen));
    const handlersRead = errors.length === errorsBefore;
    for (const task of handlersRead ? withIncluded(tasks) : []) {
      task.notify.forEach((n, k) => {
        if (!answers.has(n)) {
          const hint = closest(n, [...answers]);
          errors.push(task.source.error(`notify '${n}': no handler of this play has that name${hint ? ` (did you mean '${hint}'?)` : ''}`, task.notifyPaths[k]!));
        }
      });
    }
    return {
      name: play.name ?? `play ${p + 1}`,
      ...(play.name === undefined ? { unnamed: true } : {}),
      hosts: play.hosts,
      when: readConditions(source, play.when, [p, 'when'], errors),
      vars: play.vars_files ? { ...play.vars, ...readVarsFiles(source, play.vars_files, [p, 'vars_files'], dirname(resolve(file)), errors) } : play.vars,
      become: play.become,
      ...(roles.scopes.length > 0 ? { roles: roles.scopes } : {}),
      tasks,
      ...(flushAfter.length > 0 ? { flushAfter } : {}),
      handlers,
      verify: play.verify,
      ...(play.serial !== undefined ? { serial: Array.isArray(play.serial) ? play.serial : [play.serial] } : {}),
      ...(play.max_fail_percentage !== undefined ? { maxFailPercentage: play.max_fail_percentage } : {}),
      location: source.locate([p]),
    };
  });
  throwIfAny(errors);
  const playbook = { file, source, plays: result };
  throwIfAny(templateSyntaxErrors(playbook));
  throwIfAny(playVarsLimitErrors(playbook));
  return playbook;
}

function readTask(
  source: YamlSource,
  modules: ReadonlyMap<string, TaskModule>,
  raw: Record<string, unknown>,
  path: YamlPath,
  number: number,
  errors: InputError[],
  inherited: Inherited,
): TaskSpec | null {
  const shaped = taskShape.safeParse(raw);
  if (!shaped.success) {
    errors.push(...zodErrors(source, shaped.error, path, raw, ''));
    return null;
  }
  const task = shaped.data;
  const withKeys = Object.keys(task).filter((k) => k.startsWith('with_'));
  if (withKeys.length > 1 || (withKeys.length === 1 && task.loop !== undefined)) {
    const [first, second] = task.loop !== undefined ? ['loop', withKeys[0]!] : [withKeys[0]!, withKeys[1]!];
    errors.push(source.error(`'${first}' and '${second}': a task has one loop (Ansible refuses both too)`, [...path, second], true));
    return null;
  }
  const withKey = withKeys[0];
  const withPlugin = withKey?.slice('with_'.length);
  if (withKey !== undefined && !LOOKUP_PLUGINS.includes(withPlugin!)) {
    const hint = closest(withPlugin!, [...LOOKUP_PLUGINS]);
    errors.push(source.error(`'${withKey}': tend has no lookup plugin '${withPlugin}'${hint ? ` (did you mean 'with_${hint}'?)` : ''}; it has ${LOOKUP_PLUGINS.join(', ')}`, [...path, withKey], true));
    return null;
  }
  const unsupported = Object.keys(task).find((k) => k in UNSUPPORTED_KEYWORDS);
  if (unsupported) {
    errors.push(source.error(`'${unsupported}' is an Ansible keyword tend does not support yet: ${UNSUPPORTED_KEYWORDS[unsupported]}`, [...path, unsupported], true));
    return null;
  }
  const moduleKeys = Object.keys(task).filter((k) => !isTaskKeyword(k));
  if (moduleKeys.length === 0) {
    errors.push(source.error(`task has no module (one of: ${[...modules.keys()].join(', ')})`, path));
    return null;
  }
  if (moduleKeys.length > 1) {
    const unknown = moduleKeys.find((k) => !modules.has(k));
    if (unknown) {
      errors.push(unknownModule(source, modules, unknown, [...path, unknown]));
      return null;
    }
    errors.push(source.error(`task names more than one module: ${moduleKeys.join(', ')}`, [...path, moduleKeys[1]!], true));
    return null;
  }
  const key = moduleKeys[0]!;
  const module = key === 'include_tasks' ? INCLUDE_TASKS_MODULE : key === 'meta' ? META_MODULE : key === 'include_vars' ? INCLUDE_VARS_MODULE : modules.get(key);
  if (!module) {
    errors.push(unknownModule(source, modules, key, [...path, key]));
    return null;
  }
  const paramsPath = paramsPathOf(raw) ?? [...path, key];
  let params = task[key] ?? {};
  if (module.resolve && params !== null && typeof params === 'object' && !Array.isArray(params)) {
    try {
      params = module.resolve(params as Record<string, unknown>, { baseDir: inherited.baseDir });
    } catch (e) {
      errors.push(source.error(`${key}: ${e instanceof Error ? e.message : String(e)}`, paramsPath));
      return null;
    }
  }
  const checked = module.params.safeParse(params);
  if (!checked.success) errors.push(...zodErrors(source, checked.error, paramsPath, params, `${key}: `));
  if (typeof task.ignore_errors === 'string') {
    try {
      checkSyntax(task.ignore_errors);
    } catch (e) {
      errors.push(source.error(`ignore_errors: ${e instanceof Error ? e.message : String(e)}`, [...path, 'ignore_errors']));
    }
  }
  if (typeof task.no_log === 'string') {
    try {
      checkSyntax(task.no_log);
    } catch (e) {
      errors.push(source.error(`no_log: ${e instanceof Error ? e.message : String(e)}`, [...path, 'no_log']));
    }
  }
  const loopControl = task.loop_control;
  // What a block around the task (or an import) gives it, under the task's own.
  const kept = inherited.keywords ?? {};
  const become = task.become ?? kept.become;
  const becomeUser = task.become_user ?? kept.become_user;
  const environment = kept.environment || task.environment ? { ...kept.environment, ...task.environment } : undefined;
  const noLog = task.no_log ?? kept.no_log;
  const vars = inherited.vars || task.vars ? { ...inherited.vars, ...task.vars } : undefined;
  const loopItems = withKey !== undefined ? (task as Record<string, unknown>)[withKey] : task.loop;
  if (loopControl !== undefined && loopItems === undefined) errors.push(source.error('loop_control without loop:', [...path, 'loop_control'], true));
  return {
    number,
    name: task.name ?? `${key}`,
    module,
    params,
    notify: asList(task.notify),
    notifyPaths: asList(task.notify).map((_, k) => (Array.isArray(task.notify) ? [...path, 'notify', k] : [...path, 'notify'])),
    source,
    ...(inherited.scope ? { scope: inherited.scope } : {}),
    listen: [...(task.name ? [task.name] : []), ...asList(task.listen)],
    location: source.locate(path),
    paramsPath,
    ...(task.timeout === undefined ? {} : { timeoutS: task.timeout }),
    when: [...inherited.when, ...readConditions(source, task.when, [...path, 'when'], errors)],
    ...(loopItems === undefined
      ? {}
      : {
          loop: {
            items: loopItems,
            ...(withPlugin !== undefined ? { with: withPlugin } : {}),
            loopVar: loopControl?.loop_var ?? 'item',
            ...(loopControl?.label !== undefined ? { label: loopControl.label } : {}),
            path: [...path, withKey ?? 'loop'],
          },
        }),
    tags: [...new Set([...inherited.tags, ...asList(task.tags)])],
    ignoreErrors: task.ignore_errors ?? kept.ignore_errors ?? false,
    neverChanged: task.changed_when === false,
    ...readResultKeywords(task, source, path, errors, readConditions),
    ...(become !== undefined ? { become } : {}),
    ...(becomeUser !== undefined ? { becomeUser } : {}),
    ...(environment !== undefined ? { environment } : {}),
    ...(noLog !== undefined ? { noLog } : {}),
    ...(vars !== undefined ? { vars } : {}),
    ...((task.check_mode ?? kept.check_mode) !== undefined ? { checkMode: task.check_mode ?? kept.check_mode } : {}),
    ...(module === INCLUDE_VARS_MODULE ? { varsDirs: varsSearchDirs(dirname(source.file), inherited.playbookDir ?? dirname(source.file), inherited.scope?.path) } : {}),
  };
}

/**
 * `when:` as expressions, each checked now: a syntax error is an input error with its
 * location. `{{ }}` around a condition is accepted (Ansible warns about it).
 */
function readConditions(source: YamlSource, when: unknown, path: YamlPath, errors: InputError[]): Condition[] {
  if (when === undefined) return [];
  const list: unknown[] = Array.isArray(when) ? when : [when];
  if (list.some((c) => typeof c !== 'string' && typeof c !== 'boolean')) {
    errors.push(source.error('when: an expression, or a list of expressions that must all hold', path));
    return [];
  }
  return list.flatMap((c, k) => {
    const at = Array.isArray(when) ? [...path, k] : path;
    const expr = typeof c === 'boolean' ? (c ? 'True' : 'False') : (c as string);
    try {
      checkCondition(expr);
    } catch (e) {
      if (e instanceof TemplateError) {
        errors.push(source.error(`when: ${e.message}`, at));
        return [];
      }
      throw e;
    }
    return [{ expr, path: at, source }];
  });
}

function unknownModule(source: YamlSource, modules: ReadonlyMap<string, TaskModule>, key: string, path: YamlPath): InputError {
  if (Object.hasOwn(OLD_MODULES, key)) return source.error(OLD_MODULES[key]!, path, true);
  const hint = closest(key, [...modules.keys()]);
  return source.error(
    `unknown module '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; known modules: ${[...modules.keys()].join(', ')}`,
    path,
    true,
  );
}

function describeValue(v: unknown): string {
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v} (${JSON.stringify(v).slice(0, 40)})`;
}

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * Zod issues → located InputErrors. A value that is a `{{ template }}` cannot be
 * typed before a host's variables are known, so issues about such values wait for run
 * time.
 */
export function zodErrors(
  source: YamlSource,
  error: z.ZodError,
  base: YamlPath,
  data: unknown,
  prefix = '',
  playKeys?: string[],
): InputError[] {
  const out: InputError[] = [];
  // A misspelt key makes whole-object rules (refine) fail too: report the misspelling alone.
  const misspelt = new Set(error.issues.filter((i) => i.code === 'unrecognized_keys').map((i) => i.path.join('.')));
  for (const issue of error.issues) {
    if (issue.code === 'custom' && misspelt.has(issue.path.join('.'))) continue;
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    // A template in the value, or in a key on the way to it, is filled in per host.
    if (hasTemplate(valueAt(data, path)) || path.some(hasTemplate)) continue;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const atPlay = playKeys !== undefined && path.length === 1;
        const hint = atPlay ? closest(key, playKeys) : undefined;
        const what = !atPlay
          ? `unknown parameter '${key}'`
          : ANSIBLE_PLAY_KEYWORDS.has(key)
            ? `'${key}' is an Ansible play keyword tend does not support yet`
            : `unknown key '${key}' in a play${hint ? ` (did you mean '${hint}'?)` : ''}`;
        out.push(source.error(`${prefix}${what}`, [...base, ...path, key], true));
      }
      continue;
    }
    const where = path.length > 0 ? `${path.join('.')}: ` : '';
    out.push(source.error(`${prefix}${where}${describeIssue(issue)}`, [...base, ...path], issue.code === 'invalid_key'));
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key') return `key '${String(issue.path.at(-1) ?? '')}': ${issue.issues[0]?.message ?? issue.message}`;
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return `expected ${issue.expected}${issue.message.includes('received') ? `, ${issue.message.split(', ').pop()}` : ''}`;
  }
  return issue.message;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** Renders a task's parameters for one host and checks their types again. */
export function paramsForHost(task: TaskSpec, lookup: (name: string) => unknown): unknown {
  const rendered = removeOmit(render(task.params, lookup));
  const checked = task.module.params.safeParse(rendered);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    throw new TemplateError(`${task.module.name}: ${where}${describeIssue(issue)} (after variables were filled in)`);
  }
  return checked.data;
}

/** Tasks with the tasks of the includes read with the playbook, at any depth. */
export function withIncluded(tasks: readonly TaskSpec[]): TaskSpec[] {
  return tasks.flatMap((t) => [t, ...(t.include?.tasks ? withIncluded(t.include.tasks) : [])]);
}

/**
 * `vars_files:`, beside the playbook, merged in order (later files win); an entry that is
 * a list names alternatives, the first that exists is read. Names with templates need a
 * host's variables, which a play's files are read without: refused with the reason.
 */
function readVarsFiles(source: YamlSource, entries: (string | string[])[], at: YamlPath, dir: string, errors: InputError[]): Record<string, unknown> {
  const out = emptyVars();
  entries.forEach((entry, k) => {
    const names = Array.isArray(entry) ? entry : [entry];
    const templated = names.find(hasTemplate);
    if (templated) {
      errors.push(source.error(`vars_files: ${templated}: a file name with a template is not in tend yet (it needs a host's variables); name the file`, [...at, k]));
      return;
    }
    const found = names.map((n) => resolve(dir, n)).find((f) => existsSync(f));
    if (!found) {
      errors.push(source.error(`vars_files: ${names.join(', ')}: ${names.length > 1 ? 'none of them exists' : 'no such file'} (beside the playbook: ${dir})`, [...at, k]));
      return;
    }
    const yaml = readAnsibleYaml(found);
    const data = yaml.toJS();
    if (data === null || data === undefined) return;
    if (typeof data !== 'object' || Array.isArray(data)) {
      errors.push(yaml.error('a vars file is a mapping of variable names to values', []));
      return;
    }
    mergeVars(out, data as Record<string, unknown>);
  });
  return out;
}
