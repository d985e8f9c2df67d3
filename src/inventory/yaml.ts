// YAML inventories, read as Ansible's YAML plugin reads them — with YAML 1.1 scalars, as
// PyYAML reads them (`yes`/`no`/`on`/`off` are booleans, `0644` is octal, `1:30` is
// sexagesimal):
//   all: { vars: {...}, hosts: { NAME[:PORT]: {vars} }, children: { GROUP: {same shape} } }
// Top-level keys other than `all` are groups too. Host keys may carry ranges
// (`www[01:50].example.com`) and a port. One deliberate difference: a key other than
// hosts, vars and children in a group is an error (Ansible skips it with a warning),
// since it is nearly always a misspelling.
// Host and group names must be YAML strings, as Ansible requires: `1234:`, `1.5:`, `yes:`
// or `~:` as a host is refused with Ansible's own sentence (quote it: `'1234':`).
import { isMap, isScalar } from 'yaml';
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
    refuseNonStringKeys(source, [...path, 'hosts'], (key) => `Host pattern ${pythonText(key)} must be a string. Enclose integers/floats in quotation marks.`);
    refuseNonStringKeys(source, [...path, 'children'], groupNameError);
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

  refuseNonStringKeys(source, [], groupNameError);
  for (const [name, value] of Object.entries(data)) readGroup(name, value, [name]);
  return inventory;
}

function groupNameError(key: unknown): string {
  // Ansible's add_group tests `if group:` before the type: a false name (None, False, 0) has its own sentence.
  if (key === null || key === undefined || key === false || key === 0) return `Unable to add group ${pythonText(key)}: Invalid empty/false group name provided: ${pythonText(key)}`;
  return `Unable to add group ${pythonText(key)}: Invalid group name supplied, expected a string but got <class '${pythonType(key)}'> for ${pythonText(key)}`;
}

/**
 * Refuses the first key of the mapping at `path` that YAML did not read as a string (a
 * number, a boolean, null, a date), at that key. The value tree from toJS() has lost
 * this: its keys are all strings.
 */
function refuseNonStringKeys(source: YamlSource, path: YamlPath, message: (key: unknown) => string): void {
  let node: unknown = source.doc.contents;
  for (const segment of path) {
    if (!isMap(node)) return;
    node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))?.value;
  }
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (typeof key !== 'string') throw source.error(message(key), [...path, String(key)], true);
  }
}

/** How Python prints a value YAML read (Ansible's messages show it so). */
function pythonText(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v instanceof Date) return v.toISOString().replace(/T00:00:00\.000Z$/, '').replace('T', ' ').replace(/\.000Z$/, '');
  return String(v);
}

function pythonType(v: unknown): string {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof Date) return 'datetime.date';
  return typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
