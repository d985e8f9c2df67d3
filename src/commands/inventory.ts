// tend inventory: what tend made of an inventory, in ansible-inventory's shapes, so the
// two can be compared line for line.
//   --list   {"_meta": {"hostvars": {...}}, "all": {"children": [...]}, GROUP: {...}}
//   --graph  @all: / |--@group: / |  |--host
//   --host H that host's variables
import { InputError } from '../errors.ts';
import type { InventoryData } from '../inventory/data.ts';
import { loadInventory, type Inventory } from '../inventory/index.ts';

/** Variables tend adds itself, which ansible-inventory does not print. */
const MAGIC = new Set(['inventory_hostname', 'group_names']);

export function hostVariables(inventory: Inventory, name: string): Record<string, unknown> {
  const host = inventory.hosts.get(name);
  if (!host) throw new InputError(`no host '${name}' in ${inventory.file}`);
  return sortedObject(Object.fromEntries(Object.entries(host.vars).filter(([k]) => !MAGIC.has(k))));
}

export function inventoryList(inventory: Inventory): Record<string, unknown> {
  const data = inventory.data;
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const format = (name: string) => {
    const group = data.groups.get(name)!;
    const entry: Record<string, unknown> = {};
    if (name !== 'all' && group.hosts.length > 0) entry.hosts = [...group.hosts];
    if (group.children.length > 0) entry.children = [...group.children];
    if (Object.keys(entry).length > 0) out[name] = entry;
    for (const child of group.children) {
      if (!seen.has(child)) {
        seen.add(child);
        format(child);
      }
    }
  };
  format('all');
  const hostvars: Record<string, unknown> = {};
  for (const name of inventory.hosts.keys()) {
    const vars = hostVariables(inventory, name);
    if (Object.keys(vars).length > 0) hostvars[name] = vars;
  }
  out._meta = { hostvars };
  return sortedObject(out);
}

export function inventoryGraph(data: InventoryData, group = 'all'): string[] {
  const line = (text: string, depth: number) => (depth === 0 ? text : `${'  |'.repeat(depth)}--${text}`);
  const walk = (name: string, depth: number): string[] => {
    const g = data.groups.get(name)!;
    const lines = [line(`@${name}:`, depth)];
    for (const child of g.children) lines.push(...walk(child, depth + 1));
    if (name !== 'all') for (const h of g.hosts) lines.push(line(h, depth + 1));
    return lines;
  };
  if (!data.groups.has(group)) throw new InputError(`no group '${group}' in ${data.file}`);
  return walk(group, 0);
}

function sortedObject(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

export function runInventory(flags: { inventory: string; list?: boolean; graph?: boolean | string; host?: string }): string {
  const inventory = loadInventory(flags.inventory);
  if (flags.host !== undefined) return JSON.stringify(hostVariables(inventory, flags.host), null, 4);
  if (flags.graph !== undefined && flags.graph !== false) return inventoryGraph(inventory.data, flags.graph === true ? 'all' : flags.graph).join('\n');
  return JSON.stringify(inventoryList(inventory), null, 4);
}
