// Loads an inventory file: YAML (tend's or Ansible's) by extension, else Ansible INI.
import { readInputFile } from '../input-file.ts';
import { YamlSource } from '../yaml-source.ts';
import { parseIniInventory } from './ini.ts';
import { buildInventory, type Inventory } from './model.ts';
import { parseYamlInventory } from './yaml.ts';

export type { Host, Inventory, Vars } from './model.ts';
export { checkKeyFiles } from './model.ts';
export { selectHosts } from './limit.ts';

export function loadInventory(file: string): Inventory {
  const text = readInputFile(file, 'inventory');
  const parsed = /\.(ya?ml|json)$/i.test(file) ? parseYamlInventory(YamlSource.load(file, text)) : parseIniInventory(file, text);
  return buildInventory(file, parsed.groups, parsed.hosts);
}

/** The implicit inventory when none is given: this machine, without SSH. */
export function localInventory(): Inventory {
  return buildInventory('(implicit localhost)', [], [{ name: 'localhost', vars: {} }]);
}
