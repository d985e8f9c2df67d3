// Every filter by every name Ansible 2.14 accepts: Jinja2's built-ins, ansible.builtin's
// (which win where both have a name, as Ansible's plugin loader makes them), and the FQCN
// spellings of Ansible's own (ansible.builtin.to_json; not ansible.builtin.upper, which is
// Jinja2's and has no such name: the oracle refuses it).
import type { FilterDef } from '../eval.ts';
import { ANSIBLE_FILTERS } from './ansible.ts';
import { COLLECTION_FILTERS } from './collections.ts';
import { DATA_FILTERS } from './data.ts';
import { HASH_FILTERS } from './hash.ts';
import { JINJA_FILTERS } from './jinja.ts';
import { RANDOM_FILTERS } from './random.ts';
import { SELECT_FILTERS } from './select.ts';
import { TIME_FILTERS } from './time.ts';

const ANSIBLE_BUILTIN = `b64decode b64encode basename bool checksum combine comment dict2items difference dirname
  expanduser expandvars extract flatten from_json from_yaml from_yaml_all hash human_readable human_to_bytes
  intersect items2dict log mandatory max md5 min password_hash path_join permutations combinations pow product
  quote random realpath regex_escape regex_findall regex_replace regex_search rekey_on_member relpath root sha1
  shuffle split splitext strftime subelements symmetric_difference ternary to_datetime to_json to_nice_json
  to_nice_yaml to_uuid to_yaml type_debug union unique urlsplit zip zip_longest`.split(/\s+/);

export const FILTERS = new Map<string, FilterDef>(
  Object.entries({ ...JINJA_FILTERS, ...SELECT_FILTERS, ...DATA_FILTERS, ...ANSIBLE_FILTERS, ...COLLECTION_FILTERS, ...HASH_FILTERS, ...RANDOM_FILTERS, ...TIME_FILTERS }),
);
for (const name of ANSIBLE_BUILTIN) {
  const f = FILTERS.get(name);
  if (f) FILTERS.set(`ansible.builtin.${name}`, f);
}
