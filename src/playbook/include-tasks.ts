// `include_tasks: FILE` — dynamic, as in Ansible 2.14: the include is a task of its own
// (its `when` decided per host when it is reached, its loop making one include per item,
// its `vars` and loop item given to the included tasks), and the file's tasks run right
// after it on that host (engine/task-list.ts inserts them). Its `tags` select the include
// itself, not the included tasks (Ansible's `apply:` would pass them on: not in tend yet).
// A file name without a template is read with the playbook, so that its mistakes are found
// before any host is contacted; one with a template (`setup-{{ ansible_os_family }}.yml`)
// is read when a host reaches it, and a mistake in it fails that include on that host.
// Each file is read once per run: its tasks keep their numbers on every host.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { InputError, InputErrors } from '../errors.ts';
import { defineTask, NO_CHANGE, type TaskModule } from '../module.ts';
import { sh } from '../shell.ts';
import type { YamlPath, YamlSource } from '../yaml-source.ts';
import type { TaskSpec } from './plays.ts';
import type { Inherited, ReadContext } from './read-context.ts';
import { readAnsibleYaml } from './syntax/yaml11.ts';

type ReadList = (ctx: ReadContext, source: YamlSource, list: unknown[], path: YamlPath, next: { number: number }, inherited: Inherited) => TaskSpec[];

/** The include as a task: nothing to read or change on the host; the engine expands it. */
export const INCLUDE_TASKS_MODULE: TaskModule = defineTask({
  name: 'include_tasks',
  summary: "runs a task file's tasks here, read when the host reaches it",
  example: 'include_tasks: setup-{{ ansible_os_family }}.yml',
  checkMode: 'read-only',
  params: z.object({ file: z.string().min(1) }).strict(),
  probe: () => sh`true`,
  plan: () => NO_CHANGE,
}) as TaskModule;

const hasTemplate = (s: string) => s.includes('{{') || s.includes('{%');

/**
 * Where a task file named by an include or import is: beside the file that names it, or
 * for a role's (its handlers' too) in the role's tasks/ or the role itself, as Ansible
 * looks (`include_tasks: tasks/restart.yml` in handlers/main.yml is the role's
 * tasks/restart.yml). The first that exists; else the first candidate, to name it.
 */
export function taskFile(name: string, here: string, rolePath?: string): string {
  if (isAbsolute(name)) return name;
  const candidates = [resolve(here, name), ...(rolePath ? [resolve(rolePath, 'tasks', name), resolve(rolePath, name)] : [])];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

/**
 * An `include_tasks` entry (normalised: `include_tasks: FILE` and the task's keywords) as
 * a task: read by the loader's `readTask` with the include module, and given its file's
 * tasks (read now when the name has no template) and how to read another file later.
 */
export function readIncludeTasks(
  ctx: ReadContext,
  source: YamlSource,
  task: Record<string, unknown>,
  at: YamlPath,
  next: { number: number },
  inherited: Inherited,
  readList: ReadList,
): TaskSpec[] {
  const name = task.include_tasks;
  if (typeof name !== 'string' || name === '') {
    ctx.errors.push(source.error('include_tasks: a file name (No file specified for include_tasks)', [...at, 'include_tasks']));
    return [];
  }
  const spec = ctx.readTask(source, { ...task, include_tasks: { file: name } }, at, next.number++, inherited);
  if (!spec) return [];
  const read = new Map<string, TaskSpec[]>();
  const here = dirname(source.file);
  const later = inherited.later ?? { number: 1_000_000 };
  const load = (file: string, counter: { number: number }, errors: InputError[]): TaskSpec[] => {
    const path = taskFile(file, here, inherited.scope?.path);
    const found = read.get(path);
    if (found) return found;
    if (ctx.importing.includes(path)) {
      errors.push(source.error(`include_tasks: ${file} includes itself (through ${ctx.importing.join(' → ')})`, [...at, 'include_tasks']));
      return [];
    }
    if (!existsSync(path)) {
      errors.push(source.error(`include_tasks: ${path} does not exist`, [...at, 'include_tasks']));
      return [];
    }
    const yaml = readAnsibleYaml(path);
    const data = yaml.toJS() ?? [];
    if (!Array.isArray(data)) {
      errors.push(yaml.error('a task file is a list of tasks', []));
      return [];
    }
    ctx.importing.push(path);
    try {
      // The include's own tags and when are its own: the included tasks get what is around the include.
      const specs = readList({ ...ctx, errors }, yaml, data, [], counter, { ...inherited, baseDir: inherited.scope ? inherited.baseDir : dirname(path) });
      read.set(path, specs);
      return specs;
    } finally {
      ctx.importing.pop();
    }
  };
  spec.include = {
    ...(hasTemplate(name) ? {} : { tasks: load(name, next, ctx.errors) }),
    read: (file) => {
      const errors: InputError[] = [];
      const specs = load(file, later, errors);
      if (errors.length === 1) throw errors[0]!;
      if (errors.length > 1) throw new InputErrors(errors);
      return specs;
    },
  };
  return [spec];
}
