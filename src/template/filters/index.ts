// Every filter by every name Ansible 2.14 accepts: Jinja2's built-ins, ansible.builtin's
// (which win where both have a name, as Ansible's plugin loader makes them), and their
// FQCN spellings (ansible.builtin.to_json).
import type { FilterDef } from '../eval.ts';
import { ANSIBLE_FILTERS } from './ansible.ts';
import { COLLECTION_FILTERS } from './collections.ts';
import { DATA_FILTERS } from './data.ts';
import { HASH_FILTERS } from './hash.ts';
import { JINJA_FILTERS } from './jinja.ts';
import { SELECT_FILTERS } from './select.ts';

export const FILTERS = new Map<string, FilterDef>(
  Object.entries({ ...JINJA_FILTERS, ...SELECT_FILTERS, ...DATA_FILTERS, ...ANSIBLE_FILTERS, ...COLLECTION_FILTERS, ...HASH_FILTERS }),
);
for (const name of [...FILTERS.keys()]) FILTERS.set(`ansible.builtin.${name}`, FILTERS.get(name)!);
