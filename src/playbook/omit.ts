// Ansible's `omit`: a parameter whose templated value is the run's omit token is left out,
// as if the task had not given it (`mode: "{{ file_mode | default(omit) }}"`).
import { createHash, randomBytes } from 'node:crypto';

// One token per run, as Ansible makes one per VariableManager: a random text no real
// value holds.
export const OMIT_TOKEN = `__omit_place_holder__${createHash('sha1').update(randomBytes(64)).digest('hex')}`;

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Task arguments as ansible-core 2.14 passes them on (remove_omit): a value equal to the
 * token is dropped from its mapping, at any depth of mappings and of mappings inside
 * lists; a list item equal to it stays.
 */
export function removeOmit(value: unknown): unknown {
  if (!isMapping(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== OMIT_TOKEN)
      .map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => (isMapping(x) ? removeOmit(x) : x)) : removeOmit(v)]),
  );
}
