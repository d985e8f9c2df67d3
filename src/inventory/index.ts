// Loads an inventory file: YAML (Ansible's shape, YAML 1.1 scalars) by extension, else
// Ansible INI.
import { dirname, resolve } from 'node:path';
import { readInputFile } from '../input-file.ts';
import { YamlSource } from '../yaml-source.ts';
import { InventoryData } from './data.ts';
import { parseIniInventory } from './ini.ts';
import { buildInventory, type Inventory } from './model.ts';
import { VarsDirs } from './vars-dirs.ts';
import { parseYamlInventory } from './yaml.ts';

export type { Host, Inventory, Vars } from './model.ts';
export { connectionWithExtraVars, keyFileProblem } from './model.ts';
export { selectHosts } from './limit.ts';

export function loadInventory(file: string): Inventory {
  const text = readInputFile(file, 'inventory');
  const data = /\.(ya?ml|json)$/i.test(file) ? parseYamlInventory(YamlSource.load(file, text, { yaml11: true })) : parseIniInventory(file, text);
  const varsDirs = new VarsDirs(dirname(resolve(file)));
  return buildInventory(data, varsDirs.present ? varsDirs : undefined);
}

/** The implicit inventory when none is given: this machine, without SSH. */
export function localInventory(): Inventory {
  const data = new InventoryData('(implicit localhost)');
  data.addHost('localhost').vars.ansible_connection = 'local';
  return buildInventory(data);
}
