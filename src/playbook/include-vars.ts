// `include_vars: FILE` (or `file: FILE`, with `name:` to put them under one key) — a
// task that sets variables on the host, as in Ansible 2.14: they are above task vars and
// below role parameters and -e, and stay for the rest of the run. Nothing of it happens
// on the host, and nothing a task does in tend can change its file name or the file, so
// the engine reads it when it prepares the task (after the facts), in order with the
// other tasks: the tasks after it see its variables. The file is looked for where
// Ansible looks: the role's vars/, the role, beside the task's file (its vars/ first),
// the playbook's vars/, the playbook's directory. dir:, files_matching: and the rest are
// refused with the reason.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { defineTask, type TaskModule } from '../module.ts';
import { ON_CONTROLLER } from './controller-actions.ts';
import { emptyVars, mergeVars } from '../vars.ts';
import { readAnsibleYaml } from './syntax/yaml11.ts';

export const INCLUDE_VARS_MODULE: TaskModule = defineTask({
  name: 'include_vars',
  summary: 'sets variables on the host from a YAML or JSON file of the controller',
  example: 'include_vars: "{{ ansible_os_family }}.yml"',
  params: z.object({ file: z.string().min(1), name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'name: a variable name').optional() }).strict(),
  ...ON_CONTROLLER,
}) as TaskModule;

/** The directories a relative file name is looked for in, first to last. */
export function varsSearchDirs(taskFileDir: string, playbookDir: string, rolePath?: string): string[] {
  const dirs = [...(rolePath ? [join(rolePath, 'vars'), rolePath] : []), join(taskFileDir, 'vars'), taskFileDir, join(playbookDir, 'vars'), playbookDir];
  return [...new Set(dirs)];
}

/** The variables of `file` (a mapping), found in `dirs`; thrown as an Error with why. */
export function readVarsFile(file: string, dirs: readonly string[], name?: string): Record<string, unknown> {
  const path = isAbsolute(file) ? file : dirs.map((d) => join(d, file)).find((p) => existsSync(p) && statSync(p).isFile());
  if (!path || !existsSync(path)) throw new Error(`include_vars: could not find ${file} (looked in ${dirs.join(', ')})`);
  const yaml = readAnsibleYaml(path);
  const data = yaml.toJS();
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    throw new Error(`include_vars: ${path} must hold a mapping of variable names to values`);
  }
  const vars = mergeVars(emptyVars(), (data ?? {}) as Record<string, unknown>);
  return name ? { [name]: vars } : vars;
}

/**
 * Names an include_vars task may set, for `tend validate`: its file's when the name has
 * no template; else those of every vars file in the directories it would look in.
 */
export function namesIncludeVarsMaySet(file: string, dirs: readonly string[], name?: string): string[] {
  if (name) return [name];
  const read = (path: string) => {
    try {
      return Object.keys(readVarsFile(path, []));
    } catch {
      return [];
    }
  };
  if (!file.includes('{{') && !file.includes('{%')) {
    const found = isAbsolute(file) ? file : dirs.map((d) => join(d, file)).find((p) => existsSync(p));
    return found ? read(found) : [];
  }
  return dirs.flatMap((d) => (existsSync(d) && statSync(d).isDirectory() ? readdirSync(d).filter((f) => /\.(ya?ml|json)$/.test(f)).flatMap((f) => read(join(d, f))) : []));
}
