// YAML inventories, read as Ansible's YAML plugin reads them — with YAML 1.1 scalars, as
// PyYAML reads them (`yes`/`no`/`on`/`off` are booleans, `0644` is octal, `1:30` is
// sexagesimal):
//   all: { vars: {...}, hosts: { NAME[:PORT]: {vars} }, children: { GROUP: {same shape} } }
// Top-level keys other than `all` are groups too. Host keys may carry ranges
// (`www[01:50].example.com`) and a port. One deliberate difference: a key other than
// hosts, vars and children in a group is an error (Ansible skips it with a warning),
// since it is nearly always a misspelling.
import { YamlSource, type YamlPath } from '../yaml-source.ts';
import { expandHostEntry } from './address.ts';
import { InventoryData } from './data.ts';

const GROUP_KEYS = new Set(['hosts', 'vars', 'children']);

export function parseYamlInventory(source: YamlSource): InventoryData {
  const inventory = new InventoryData(source.file);
  const data = source.toJS();
  if (data === null || data === undefined) return inventory;
  if (!isPlainObject(data)) throw source.error('an inventory must be a mapping of groups (for example `all:`)', []);

  const readGroup = (name: string, value: unknown, path: YamlPath): string => {
    if (value !== null && value !== undefined && !isPlainObject(value)) {
      throw source.error(`group '${name}' must be a mapping with hosts, vars or children`, path);
    }
    inventory.addGroup(name, source.locate(path, true));
    if (!value) return name;
    for (const [key, section] of Object.entries(value)) {
      if (!GROUP_KEYS.has(key)) {
        throw source.error(
          `group '${name}' has an unknown key '${key}' (expected hosts, vars or children; host settings go under hosts: NAME:)`,
          [...path, key],
          true,
        );
      }
      // A string stands for a mapping with that one key, as in Ansible.
      const entries = typeof section === 'string' ? { [section]: null } : section;
      if (entries === null || entries === undefined) continue;
      if (!isPlainObject(entries)) throw source.error(`${key} of group '${name}' must be a mapping`, [...path, key]);
      if (key === 'vars') {
        for (const [k, v] of Object.entries(entries)) inventory.setGroupVariable(name, k, v, source.locate([...path, 'vars', k], true));
      } else if (key === 'children') {
        for (const [child, childValue] of Object.entries(entries)) {
          readGroup(child, childValue, [...path, 'children', child]);
          inventory.addChild(name, child, source.locate([...path, 'children', child], true));
        }
      } else {
        for (const [entry, hostVars] of Object.entries(entries)) {
          const hostPath = [...path, 'hosts', entry];
          const location = source.locate(hostPath, true);
          if (hostVars !== null && hostVars !== undefined && !isPlainObject(hostVars)) {
            throw source.error(`host '${entry}' must map to its variables (or nothing)`, hostPath);
          }
          const { names, port } = expandHostEntry(entry, location);
          for (const hostName of names) {
            const host = inventory.addHost(hostName, name, port, location);
            for (const [k, v] of Object.entries(hostVars ?? {})) host.vars[k] = v;
          }
        }
      }
    }
    return name;
  };

  for (const [name, value] of Object.entries(data)) readGroup(name, value, [name]);
  return inventory;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
