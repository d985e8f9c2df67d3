// Ansible INI inventories, read as Ansible's INI plugin reads them:
//   host1 ansible_host=10.0.0.1 ansible_port=2222   before any section: ungrouped
//   [web]                 hosts, one a line: NAME[:PORT] key=value …, split like a shell
//   web[01:10:2].lab      numeric (with step, leading zeros) and alphabetic ranges
//   [web:vars]            key = value, the value read as a Python literal
//   [prod:children]       groups inside a group; naming an undefined group is an error
// Values are Python literals where they parse as one (`8080` a number, `'x'` text
// without its quotes, `[1, 2]` a list, `True`, `None`) and text otherwise. Lines
// starting with `#` or `;` are comments; on host lines `#` starts one anywhere outside
// quotes.
import { InputError, type SourceLocation } from '../errors.ts';
import { expandHostEntry } from './address.ts';
import { InventoryData } from './data.ts';
import { pythonValue } from './python-literal.ts';
import { shlexSplit, ShlexError } from '../shlex.ts';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  state: 'vars' | 'children';
  location: SourceLocation;
  /** For `children`: the groups that named this one as a child. */
  parents: string[];
}

export function parseIniInventory(file: string, text: string): InventoryData {
  const data = new InventoryData(file);
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state: 'hosts' | 'vars' | 'children' = 'hosts';

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const at: SourceLocation = { file, line: index + 1, col: raw.length - raw.trimStart().length + 1 };

    const section = SECTION.exec(line);
    if (section) {
      group = section[1]!;
      const kind = section[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        throw new InputError(`section [${group}:${kind}] has an unknown type '${kind}' (expected vars or children)`, at);
      }
      state = kind;
      if (!data.groups.has(group)) {
        if (state === 'vars' && !pending.has(group)) pending.set(group, { state: 'vars', location: at, parents: [] });
        data.addGroup(group, at);
      }
      const waiting = pending.get(group);
      if (waiting && state !== 'vars') {
        if (waiting.state === 'children') addPendingChildren(data, group, pending);
        else pending.delete(group);
      }
      return;
    }
    if (line.startsWith('[') && !line.includes(']')) {
      throw new InputError(`section header '${line}' is not [group], [group:vars] or [group:children] (no closing ']')`, at);
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      throw new InputError(`section header '${line}' is not [group], [group:vars] or [group:children] (no spaces inside)`, at);
    }

    if (state === 'hosts') {
      let words: string[];
      try {
        words = shlexSplit(line);
      } catch (e) {
        throw new InputError(`host line: ${(e as ShlexError).message}`, at);
      }
      if (words.length === 0) return;
      const [entry, ...assignments] = words as [string, ...string[]];
      if (entry === '---') throw new InputError(`'---' is not a host: is this a YAML file? (name it .yml)`, at);
      const { names, port } = expandHostEntry(entry, at);
      const vars: Record<string, unknown> = Object.create(null);
      for (const word of assignments) {
        const eq = word.indexOf('=');
        if (eq <= 0) throw new InputError(`expected 'name=value' after host '${entry}', found '${word}'`, { ...at, col: raw.indexOf(word) + 1 || at.col });
        vars[word.slice(0, eq)] = pythonValue(word.slice(eq + 1));
      }
      for (const name of names) {
        const host = data.addHost(name, group, port, at);
        for (const [k, v] of Object.entries(vars)) host.vars[k] = v;
      }
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) throw new InputError(`expected 'name=value' in [${group}:vars], found '${line}'`, at);
      data.setGroupVariable(group, line.slice(0, eq).trim(), pythonValue(line.slice(eq + 1).trim()), at);
    } else {
      const m = GROUP_NAME.exec(line);
      if (!m) throw new InputError(`expected one group name a line in [${group}:children], found '${line}'`, at);
      const child = m[1]!;
      if (data.groups.has(child)) data.addChild(group, child, at);
      else {
        const waiting = pending.get(child);
        if (waiting) waiting.parents.push(group);
        else pending.set(child, { state: 'children', location: at, parents: [group] });
      }
    }
  });

  for (const [name, p] of pending) {
    if (p.state === 'vars') throw new InputError(`section [${name}:vars] is for a group that is not defined`, p.location);
    throw new InputError(`section [${p.parents.at(-1)}:children] names group '${name}', which is not defined`, p.location);
  }
  return data;
}

function addPendingChildren(data: InventoryData, group: string, pending: Map<string, Pending>): void {
  for (const parent of pending.get(group)!.parents) {
    data.addChild(parent, group);
    const up = pending.get(parent);
    if (up && up.state === 'children') addPendingChildren(data, parent, pending);
  }
  pending.delete(group);
}
