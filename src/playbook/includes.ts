// Playbooks split into files: `import_tasks: FILE` (static: read and checked with the
// playbook, its tasks put in its place) and `roles:` with Ansible's layout —
// roles/NAME/tasks/main.yml, handlers/main.yml, defaults/main.yml, vars/main.yml,
// templates/ and files/ — next to the playbook. A role's tasks run before the play's
// own, as in Ansible. Every complaint points into the file it is about.
//
// Variables, lowest first: role defaults, play vars, role vars, the inventory, role
// parameters, -e; every role's defaults and vars reach the play's own tasks too, as in
// Ansible (engine/host-lookup.ts). (Role vars sit below the inventory in tend: like play vars, they are
// the playbook's defaults; Ansible puts them above it.)
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { LIMITS } from './limits.ts';
import type { YamlPath, YamlSource } from '../yaml-source.ts';
import { mappingOf, readBlock } from './block.ts';
import { readIncludeTasks, taskFile } from './include-tasks.ts';
import type { TaskSpec } from './plays.ts';
import type { Expansion, Inherited, ReadContext } from './read-context.ts';
import { normaliseTask } from './syntax/normalise.ts';
import { readAnsibleYaml } from './syntax/yaml11.ts';

export type { BlockKeywords, Expansion, Inherited, ReadContext } from './read-context.ts';

export function newExpansion(): Expansion {
  return { entries: 0, files: new Map() };
}

/**
 * Counts one task or import against LIMITS.tasksAndImports. Past it, reading stops at
 * once (imports that fan out — each file importing the next twice — double with every
 * file, and would never finish).
 */
function count(ctx: ReadContext, source: YamlSource, at: YamlPath, isImport: boolean): void {
  if (++ctx.expansion.entries <= LIMITS.tasksAndImports) return;
  const where = source.locate(isImport ? [...at, 'import_tasks'] : at);
  throw new InputError(
    `${isImport ? 'import_tasks: ' : ''}more than ${LIMITS.tasksAndImports} tasks and imports once import_tasks are expanded (the limit): do imports fan out, a file importing another several times?`,
    where,
  );
}

/** A task list with its import_tasks entries expanded in place; numbers continue from `next`. */
export function readTaskList(
  ctx: ReadContext,
  source: YamlSource,
  list: unknown[],
  path: YamlPath,
  next: { number: number },
  inherited: Inherited,
): TaskSpec[] {
  return list.flatMap((entry, t) => {
    const at = [...path, t];
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      ctx.errors.push(source.error('a task is a mapping (a module and its parameters)', at));
      return [];
    }
    if ('block' in entry) {
      count(ctx, source, at, false);
      return readBlock(ctx, source, entry as Record<string, unknown>, at, next, inherited, readTaskList);
    }
    const task = normaliseTask(ctx.syntax, source, entry as Record<string, unknown>, at, ctx.errors, inherited.collections);
    if (!task) return [];
    count(ctx, source, at, task.import_tasks !== undefined || task.include_tasks !== undefined);
    if (task.import_tasks !== undefined) return importTasks(ctx, source, task, at, next, inherited);
    if (task.include_tasks !== undefined) return readIncludeTasks(ctx, source, task, at, next, inherited, readTaskList);
    const spec = ctx.readTask(source, task, at, next.number++, inherited);
    return spec ? [spec] : [];
  });
}

const IMPORT_KEYS = new Set(['import_tasks', 'name', 'tags', 'when', 'vars']);

function importTasks(ctx: ReadContext, source: YamlSource, task: Record<string, unknown>, at: YamlPath, next: { number: number }, inherited: Inherited): TaskSpec[] {
  const extra = Object.keys(task).find((k) => !IMPORT_KEYS.has(k));
  if (extra) {
    ctx.errors.push(source.error(`import_tasks takes name, tags, when and vars; not '${extra}'`, [...at, extra], true));
    return [];
  }
  if (typeof task.import_tasks !== 'string' || task.import_tasks === '' || task.import_tasks.includes('{{')) {
    ctx.errors.push(source.error('import_tasks: a file name (imports are read before any host is known: no templates)', [...at, 'import_tasks']));
    return [];
  }
  // Beside the file that imports it (the playbook, a task file), or in the role.
  const file = taskFile(task.import_tasks, dirname(source.file), inherited.scope?.path);
  if (ctx.importing.includes(file)) {
    ctx.errors.push(source.error(`import_tasks: ${task.import_tasks} imports itself (through ${ctx.importing.join(' → ')})`, [...at, 'import_tasks']));
    return [];
  }
  if (!existsSync(file)) {
    ctx.errors.push(source.error(`import_tasks: ${file} does not exist`, [...at, 'import_tasks']));
    return [];
  }
  let imported = ctx.expansion.files.get(file);
  if (!imported) ctx.expansion.files.set(file, (imported = readAnsibleYaml(file)));
  const data = imported.toJS();
  if (!Array.isArray(data)) {
    ctx.errors.push(imported.error('a task file is a list of tasks', []));
    return [];
  }
  const tags = asList(task.tags);
  const when = ctx.readConditions(source, task.when, [...at, 'when']);
  const vars = mappingOf(ctx, source, task.vars, [...at, 'vars']);
  ctx.importing.push(file);
  try {
    return readTaskList(ctx, imported, data, [], next, {
      ...inherited,
      tags: [...inherited.tags, ...tags],
      when: [...inherited.when, ...when],
      ...(vars ? { vars: { ...inherited.vars, ...vars } } : {}),
      // Inside a role, templates and files stay the role's; elsewhere they sit beside the task file.
      baseDir: inherited.scope ? inherited.baseDir : dirname(file),
    });
  } finally {
    ctx.importing.pop();
  }
}

export interface RoleTasks {
  tasks: TaskSpec[];
  /** Each role's variables, in the order of roles:, whether it has tasks or not. */
  scopes: NonNullable<TaskSpec['scope']>[];
  /** Reads the roles' handlers; called after the play's own tasks, so that handlers are numbered after every task. */
  handlers(next: { number: number }): TaskSpec[];
}

/**
 * The tasks and handlers of a play's `roles:`, each role's in its own scope. `entries`
 * is the play's `roles` value; `at` its YAML path in the playbook.
 */
export function readRoles(ctx: ReadContext, source: YamlSource, entries: unknown, at: YamlPath, playbookDir: string, next: { number: number }, inherited: Inherited): RoleTasks {
  const handlerLists: { dir: string; list: unknown[]; source: YamlSource; scope: TaskSpec['scope']; tags: string[] }[] = [];
  const out: RoleTasks = {
    tasks: [],
    scopes: [],
    handlers: (counter) =>
      handlerLists.flatMap((h) => readTaskList(ctx, h.source, h.list, [], counter, { tags: h.tags, when: [], scope: h.scope, baseDir: join(h.dir, 'handlers') })),
  };
  if (entries === undefined) return out;
  if (!Array.isArray(entries)) {
    ctx.errors.push(source.error('roles: a list of role names, or of { role: NAME, …parameters }', at));
    return out;
  }
  entries.forEach((entry, r) => {
    const here = [...at, r];
    const spec = typeof entry === 'string' ? { role: entry } : entry;
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec) || typeof (spec as { role?: unknown }).role !== 'string') {
      ctx.errors.push(source.error('a role is a name, or { role: NAME, …parameters }', here));
      return;
    }
    // Every other key is a role parameter (`vars:` holds more of them, as in Ansible).
    const { role: name, tags, when, name: _title, vars, ...rest } = spec as Record<string, unknown> & { role: string };
    const params = { ...rest, ...(vars !== null && typeof vars === 'object' && !Array.isArray(vars) ? (vars as Record<string, unknown>) : {}) };
    const dir = join(playbookDir, 'roles', name);
    if (!existsSync(dir)) {
      ctx.errors.push(source.error(`role '${name}': no directory ${dir}`, typeof entry === 'string' ? here : [...here, 'role']));
      return;
    }
    const mapping = (file: string): Record<string, unknown> => {
      const path = join(dir, file);
      if (!existsSync(path)) return {};
      const yaml = readAnsibleYaml(path);
      const data = yaml.toJS();
      if (data === null || data === undefined) return {};
      if (typeof data !== 'object' || Array.isArray(data)) {
        ctx.errors.push(yaml.error(`role '${name}': ${file} is a mapping of variables`, []));
        return {};
      }
      return data as Record<string, unknown>;
    };
    const scope = { role: name, path: resolve(dir), defaults: mapping('defaults/main.yml'), vars: mapping('vars/main.yml'), params };
    out.scopes.push(scope);
    const roleTags = [...inherited.tags, ...asList(tags)];
    const roleWhen = [...inherited.when, ...ctx.readConditions(source, when, [...here, 'when'])];
    const templates = join(dir, 'templates');
    const list = (file: string): { data: unknown[]; yaml: YamlSource } | undefined => {
      const path = join(dir, file);
      if (!existsSync(path)) return undefined;
      const yaml = readAnsibleYaml(path);
      const data = yaml.toJS() ?? [];
      if (!Array.isArray(data)) {
        ctx.errors.push(yaml.error(`role '${name}': ${file} is a list of tasks`, []));
        return undefined;
      }
      return { data, yaml };
    };
    const tasks = list('tasks/main.yml');
    // A role of only defaults, vars or meta is a role, as in Ansible; an empty directory is a mistake.
    if (!tasks && !['handlers', 'defaults', 'vars', 'meta'].some((part) => existsSync(join(dir, part, 'main.yml')))) {
      ctx.errors.push(source.error(`role '${name}': ${dir} has none of tasks/, handlers/, defaults/, vars/, meta/ main.yml`, here));
      return;
    }
    if (tasks) {
      const taskCtx = { ...ctx, importing: [...ctx.importing, join(dir, 'tasks/main.yml')] };
      out.tasks.push(...readTaskList(taskCtx, tasks.yaml, tasks.data, [], next, { tags: roleTags, when: roleWhen, scope, baseDir: existsSync(templates) ? templates : join(dir, 'tasks') }));
    }
    const handlers = list('handlers/main.yml');
    if (handlers) handlerLists.push({ dir, list: handlers.data, source: handlers.yaml, scope, tags: roleTags });
  });
  return out;
}

function asList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}
