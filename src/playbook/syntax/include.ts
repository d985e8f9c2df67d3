// The legacy `include:` task (deprecated in Ansible 2.14, removed in 2.16). Ansible 2.14
// reads it statically — as import_tasks — when its file name has no template, it has no
// loop and every include above it is static; otherwise it is dynamic, as include_tasks.
// tend reads the static form as `import_tasks:`, the dynamic one as `include_tasks:` (its
// parameters become the included tasks' variables); parameters of the static form are
// refused with the reason.
import type { VarMap } from '../../vars.ts';
import { isTemplate } from './action.ts';

export const INCLUDE_ACTIONS: ReadonlySet<string> = new Set(['include', 'ansible.builtin.include', 'ansible.legacy.include']);

/** Keywords an import_tasks entry takes in tend. */
const STATIC_KEYS = new Set(['name', 'tags', 'when']);

export type IncludeReading = { task: Record<string, unknown> } | { refused: string; key?: string };

/** `include:` → `{ import_tasks: FILE, name?, tags?, when? }`, or why it cannot be. */
export function readInclude(action: string, key: string, args: VarMap, task: Record<string, unknown>): IncludeReading {
  const file = args._raw_params !== undefined && args._raw_params !== '' ? args._raw_params : args.file;
  if (typeof file !== 'string' || file === '') return { refused: `${action}: no file named (No file specified for include)`, key };
  const loop = Object.keys(task).find((k) => k === 'loop' || k.startsWith('with_'));
  const vars = Object.keys(args).filter((k) => k !== '_raw_params' && k !== 'file');
  if (loop || isTemplate(file)) {
    // Dynamic in Ansible 2.14: include_tasks, with the parameters as the included tasks' variables.
    const out: Record<string, unknown> = { include_tasks: file };
    for (const [k, v] of Object.entries(task)) if (k !== key && k !== 'args') out[k] = v;
    if (vars.length > 0) out.vars = { ...(task.vars as Record<string, unknown> | undefined), ...Object.fromEntries(vars.map((k) => [k, args[k]])) };
    return { task: out };
  }
  if (vars.length > 0) {
    return { refused: `${action}: ${file} with parameters (${vars.join(', ')}) passes them to the file as variables; tend's import_tasks takes no variables yet: set them in vars: of the play or with -e`, key };
  }
  const extra = Object.keys(task).find((k) => k !== key && k !== 'args' && !STATIC_KEYS.has(k));
  if (extra) return { refused: `${action}: is read as import_tasks: (static), which takes name, tags and when; not '${extra}'`, key: extra };
  const out: Record<string, unknown> = { import_tasks: file };
  for (const k of STATIC_KEYS) if (k in task) out[k] = task[k];
  return { task: out };
}
