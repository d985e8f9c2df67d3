// From Ansible's arguments (what ModuleArgsParser makes) to the parameters of tend's
// module: free-form text (`_raw_params`) becomes command's (and shell's) `cmd`; a whole-arguments
// template (`_variable_params`) stays one template, filled in per host; octal modes keep
// their meaning; `k=v` text becomes the booleans and numbers the module's schema wants,
// as Ansible's argument spec converts them. What tend cannot do yet is refused with why.
import type { z } from 'zod';
import type { VarMap } from '../../vars.ts';

/** Free-form modules tend does not have, with what to write instead. */
export const MISSING_FREE_FORM: Record<string, string> = {
  raw: 'tend has no raw module yet (every tend module needs only a POSIX shell on the host, never Python): write the command with `shell:`',
  script: 'tend has no script module yet (it copies a local script to the host and runs it): install the script with `copy:` and run it with `command:`',
};

/** Ansible's boolean() words (module_utils/parsing/convert_bool.py), lower-cased. */
const TRUE_WORDS = new Set(['y', 'yes', 'on', '1', 'true', 't', '1.0']);
const FALSE_WORDS = new Set(['n', 'no', 'off', '0', 'false', 'f', '0.0']);

export class ParamsError extends Error {
  constructor(
    message: string,
    /** The parameter it is about, when one. */
    readonly param?: string,
  ) {
    super(message);
    this.name = 'ParamsError';
  }
}

function accepts(schema: z.ZodType, value: unknown): boolean {
  return schema.safeParse(value).success;
}

/** The schema of one top-level parameter, when the module's schema is an object. */
function fieldOf(params: z.ZodType, key: string): z.ZodType | undefined {
  const shape = (params as unknown as { shape?: Record<string, z.ZodType> }).shape;
  return shape && Object.hasOwn(shape, key) ? shape[key] : undefined;
}

/**
 * Text where the module wants a boolean or an integer (`update_cache=yes`, `gid=1001`)
 * becomes one, as Ansible's type=bool and type=int conversions do.
 */
export function convertTypes(params: z.ZodType, args: VarMap): void {
  for (const [key, value] of Object.entries(args)) {
    // `mode` is of type raw to Ansible: text stays text (octal digits), never a number.
    if (typeof value !== 'string' || key === 'mode') continue;
    const field = fieldOf(params, key);
    if (!field || accepts(field, value) || value.includes('{{') || value.includes('{%')) continue;
    const word = value.toLowerCase();
    if ((TRUE_WORDS.has(word) || FALSE_WORDS.has(word)) && accepts(field, true)) args[key] = TRUE_WORDS.has(word);
    else if (/^[-+]?[0-9]+$/.test(value.trim()) && accepts(field, 1)) args[key] = Number(value.trim());
  }
}

/**
 * A number given as a mode means what it means to Ansible: 0644 (octal) is mode 0644.
 * A decimal number is refused: Ansible would take 644 as the number 644 (mode 01204).
 */
export function octalMode(value: number, format: string | undefined): string {
  if (format === 'OCT') return `0${value.toString(8)}`;
  throw new ParamsError(
    `mode: ${value} is the decimal number ${value} to Ansible (mode 0${value.toString(8)}), surely not what was meant; write the mode in octal: 0${String(value).padStart(3, '0')} or "0${String(value).padStart(3, '0')}"`,
    'mode',
  );
}

/** Ansible's arguments → tend's parameters for module `module` (its bare name). */
export function paramsFor(module: string, action: string, args: VarMap): unknown {
  if ('_variable_params' in args) {
    const others = Object.keys(args).filter((k) => k !== '_variable_params');
    if (others.length === 0) return args._variable_params;
    throw new ParamsError(`${action}: arguments from one template (${String(args._variable_params)}) together with others (${others.join(', ')}) are not supported by tend yet; give them all in the template or all as parameters`);
  }
  if ('_raw_params' in args) {
    if (module !== 'command' && module !== 'shell') throw new ParamsError(`${action} takes no free-form text`, '_raw_params');
    const { _raw_params: text, ...rest } = args;
    return Object.assign(Object.create(null) as VarMap, text === '' ? {} : { cmd: text }, rest);
  }
  return args;
}
