// The legacy `include:` task (deprecated in Ansible 2.14, removed in 2.16). Ansible 2.14
// reads it statically — as import_tasks — when its file name has no template, it has no
// loop and every include above it is static; otherwise it is dynamic, as include_tasks.
// tend reads the static form as `import_tasks:`; the dynamic form, and parameters passed
// as variables, need what tend does not have yet, and are refused with the reason.
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
  if (loop || isTemplate(file)) {
    const why = loop ? `it has ${loop}:` : `its file name is a template (${file})`;
    return {
      refused: `${action}: ${file} is a dynamic include in Ansible 2.14 (${why}), that is include_tasks, which tend does not have yet; use import_tasks: with a fixed file name`,
      key: loop ?? key,
    };
  }
  const vars = Object.keys(args).filter((k) => k !== '_raw_params' && k !== 'file');
  if (vars.length > 0) {
    return { refused: `${action}: ${file} with parameters (${vars.join(', ')}) passes them to the file as variables; tend's import_tasks takes no variables yet: set them in vars: of the play or with -e`, key };
  }
  const extra = Object.keys(task).find((k) => k !== key && k !== 'args' && !STATIC_KEYS.has(k));
  if (extra) return { refused: `${action}: is read as import_tasks: (static), which takes name, tags and when; not '${extra}'`, key: extra };
  const out: Record<string, unknown> = { import_tasks: file };
  for (const k of STATIC_KEYS) if (k in task) out[k] = task[k];
  return { task: out };
}
