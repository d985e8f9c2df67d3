// YAML inventories: tend's own and Ansible's share one shape —
//   all: { vars: {...}, hosts: { NAME: {vars} }, children: { GROUP: {same shape} } }
// Top-level keys other than `all` are groups too, as in Ansible.
import { YamlSource, type YamlPath } from '../yaml-source.ts';
import type { RawGroup, RawHost, Vars } from './model.ts';

const GROUP_KEYS = new Set(['hosts', 'vars', 'children']);

export function parseYamlInventory(source: YamlSource): { groups: RawGroup[]; hosts: RawHost[] } {
  const data = source.toJS();
  const groups: RawGroup[] = [];
  const hosts: RawHost[] = [];
  if (data === null || data === undefined) return { groups, hosts };
  if (!isPlainObject(data)) throw source.error('an inventory must be a mapping of groups (for example `all:`)', []);

  const readGroup = (name: string, value: unknown, path: YamlPath) => {
    if (value === null || value === undefined) value = {};
    if (!isPlainObject(value)) {
      throw source.error(`group '${name}' must be a mapping with hosts, vars or children`, path);
    }
    for (const key of Object.keys(value)) {
      if (!GROUP_KEYS.has(key)) {
        throw source.error(
          `group '${name}' has an unknown key '${key}' (expected hosts, vars or children; host settings go under hosts: NAME:)`,
          [...path, key],
          true,
        );
      }
    }
    const group: RawGroup = { name, vars: {}, hosts: [], children: [], location: source.locate(path, true) };
    const vars = value.vars ?? {};
    if (!isPlainObject(vars)) throw source.error(`vars of group '${name}' must be a mapping`, [...path, 'vars']);
    group.vars = vars as Vars;
    const hostMap = value.hosts ?? {};
    if (!isPlainObject(hostMap)) {
      throw source.error(`hosts of group '${name}' must be a mapping of host names`, [...path, 'hosts']);
    }
    for (const [hostName, hostVars] of Object.entries(hostMap)) {
      const hostPath = [...path, 'hosts', hostName];
      if (hostVars !== null && !isPlainObject(hostVars)) {
        throw source.error(`host '${hostName}' must map to its variables (or nothing)`, hostPath);
      }
      group.hosts.push(hostName);
      hosts.push({ name: hostName, vars: (hostVars ?? {}) as Vars, location: source.locate(hostPath, true) });
    }
    const children = value.children ?? {};
    if (!isPlainObject(children)) {
      throw source.error(`children of group '${name}' must be a mapping of groups`, [...path, 'children']);
    }
    for (const [childName, child] of Object.entries(children)) {
      group.children.push(childName);
      readGroup(childName, child, [...path, 'children', childName]);
    }
    groups.push(group);
  };

  for (const [name, value] of Object.entries(data)) readGroup(name, value, [name]);
  return { groups, hosts };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
