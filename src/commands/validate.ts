// tend validate PLAYBOOK [-i INVENTORY] [-e …]: the playbook read and checked as a run
// would read it (and its variables against the inventory's hosts), no host contacted.
import { throwIfAny } from '../errors.ts';
import { loadInventory } from '../inventory/index.ts';
import { undefinedVariableErrors } from '../playbook/variables.ts';
import { knownVariables, parseExtraVars } from './options.ts';
import { readPlaybook } from './read-playbook.ts';

/** The line to print when it is valid; input errors are thrown. */
export function validate(playbookFile: string, flags: { inventory?: string; extraVars: string[] }): string {
  const playbook = readPlaybook(playbookFile);
  if (flags.inventory) {
    const inventory = loadInventory(flags.inventory);
    const known = knownVariables([...inventory.hosts.values()], parseExtraVars(flags.extraVars));
    throwIfAny(undefinedVariableErrors(playbook, known));
  }
  return `${playbookFile}: valid${flags.inventory ? ` with ${flags.inventory}` : ' (variables from an inventory not checked: give -i)'}`;
}
