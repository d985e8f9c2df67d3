// What an inventory becomes, whatever file format it came from.
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError, throwIfAny, type SourceLocation } from '../errors.ts';
import { emptyVars, mergeVars } from '../vars.ts';

export type Vars = Record<string, unknown>;

export interface Host {
  name: string;
  /** `local` runs tasks on this machine without SSH. */
  connection: 'ssh' | 'local';
  address: string;
  port: number;
  user: string;
  privateKey?: string;
  /** Every group the host belongs to, `all` included, directly or through children. */
  groups: string[];
  /** Variables after precedence: all < parent groups < child groups < the host itself. */
  vars: Vars;
  /** Where the inventory names the host, for errors found later. */
  location?: SourceLocation;
}

/**
 * Private key files of the hosts about to be contacted must be readable: a typo in a
 * key path is an input error, found before any host is contacted.
 */
export function checkKeyFiles(hosts: readonly Host[]): void {
  const errors: InputError[] = [];
  for (const host of hosts) {
    const key = host.privateKey;
    if (key === undefined || key.includes('{{')) continue;
    const file = key.startsWith('~/') ? join(homedir(), key.slice(2)) : key;
    try {
      accessSync(file, constants.R_OK);
      if (statSync(file).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    } catch (e) {
      errors.push(new InputError(`host '${host.name}': private key ${key} cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`, host.location));
    }
  }
  throwIfAny(errors);
}

export interface Inventory {
  file: string;
  hosts: Map<string, Host>;
  /** group name → names of the hosts in it (children included). */
  groups: Map<string, string[]>;
}

/** A group as read from a file, before resolution. */
export interface RawGroup {
  name: string;
  vars: Vars;
  hosts: string[];
  children: string[];
  location?: SourceLocation;
}

export interface RawHost {
  name: string;
  vars: Vars;
  location?: SourceLocation;
}

// tend's own connection keys and the Ansible names people arrive with.
const CONNECTION_KEYS = {
  address: ['host', 'address', 'ansible_host', 'ansible_ssh_host'],
  port: ['port', 'ansible_port', 'ansible_ssh_port'],
  user: ['user', 'ansible_user', 'ansible_ssh_user'],
  privateKey: ['private_key', 'ansible_ssh_private_key_file', 'ansible_private_key_file'],
  connection: ['connection', 'ansible_connection'],
} as const;

function pick(vars: Vars, keys: readonly string[]): unknown {
  for (const k of keys) if (vars[k] !== undefined && vars[k] !== null) return vars[k];
  return undefined;
}

/** Resolves groups, children and variable precedence into Host records. */
export function buildInventory(file: string, rawGroups: RawGroup[], rawHosts: RawHost[]): Inventory {
  const groups = new Map<string, RawGroup>();
  for (const g of rawGroups) {
    const known = groups.get(g.name);
    if (known) {
      known.hosts.push(...g.hosts);
      known.children.push(...g.children);
      mergeVars(known.vars, g.vars);
    } else groups.set(g.name, { ...g, hosts: [...g.hosts], children: [...g.children], vars: { ...g.vars } });
  }
  if (!groups.has('all')) groups.set('all', { name: 'all', vars: {}, hosts: [], children: [] });
  const all = groups.get('all')!;
  const hostVars = new Map<string, Vars>();
  const hostLocation = new Map<string, SourceLocation | undefined>();
  for (const h of rawHosts) {
    hostVars.set(h.name, { ...(hostVars.get(h.name) ?? {}), ...h.vars });
    if (!hostLocation.has(h.name)) hostLocation.set(h.name, h.location);
  }
  for (const g of groups.values()) {
    for (const c of g.children) {
      if (!groups.has(c)) groups.set(c, { name: c, vars: {}, hosts: [], children: [] });
    }
  }
  rejectCycles(groups);
  // Every group that nobody claims as a child hangs under `all`.
  const claimed = new Set([...groups.values()].flatMap((g) => g.children));
  for (const g of groups.values()) {
    if (g.name !== 'all' && !claimed.has(g.name) && !all.children.includes(g.name)) all.children.push(g.name);
  }
  for (const name of hostVars.keys()) {
    const inSome = [...groups.values()].some((g) => g.hosts.includes(name));
    if (!inSome) all.hosts.push(name);
  }

  // Depth of each group below `all`: deeper groups override shallower ones.
  const depth = new Map<string, number>([['all', 0]]);
  const visit = (name: string, d: number) => {
    if ((depth.get(name) ?? -1) < d) depth.set(name, d);
    for (const c of groups.get(name)!.children) visit(c, d + 1);
  };
  visit('all', 0);

  const membersOf = new Map<string, Set<string>>();
  const collect = (name: string): Set<string> => {
    const cached = membersOf.get(name);
    if (cached) return cached;
    const g = groups.get(name)!;
    const set = new Set(g.hosts);
    membersOf.set(name, set);
    for (const c of g.children) for (const h of collect(c)) set.add(h);
    return set;
  };
  for (const name of groups.keys()) collect(name);

  const hosts = new Map<string, Host>();
  for (const [name, own] of hostVars) {
    const memberOf = [...groups.keys()].filter((g) => membersOf.get(g)!.has(name));
    memberOf.sort((a, b) => (depth.get(a)! - depth.get(b)!) || a.localeCompare(b));
    const vars: Vars = emptyVars();
    for (const g of memberOf) mergeLayer(vars, groups.get(g)!.vars);
    mergeLayer(vars, own);
    hosts.set(name, toHost(name, memberOf, vars, hostLocation.get(name)));
  }
  const groupMembers = new Map([...membersOf].map(([g, set]) => [g, [...set]]));
  return { file, hosts, groups: groupMembers };
}

function rejectCycles(groups: Map<string, RawGroup>): void {
  const done = new Set<string>();
  const walk = (name: string, path: string[]) => {
    if (path.includes(name)) {
      throw new InputError(`group '${name}' is its own child (${[...path, name].join(' → ')})`, groups.get(name)!.location);
    }
    if (done.has(name)) return;
    for (const c of groups.get(name)!.children) walk(c, [...path, name]);
    done.add(name);
  };
  for (const name of groups.keys()) walk(name, []);
}

/**
 * Merges a more specific layer of variables over `into`. A connection setting given in
 * either spelling (`user` or `ansible_user`) replaces both spellings from the layers
 * below, so the most specific level wins whatever it is called there.
 */
function mergeLayer(into: Vars, layer: Vars): void {
  for (const aliases of Object.values(CONNECTION_KEYS)) {
    if (aliases.some((k) => layer[k] !== undefined && layer[k] !== null)) for (const k of aliases) delete into[k];
  }
  mergeVars(into, layer);
}

function toHost(name: string, groups: string[], vars: Vars, location?: SourceLocation): Host {
  const address = pick(vars, CONNECTION_KEYS.address) ?? name;
  const portValue = pick(vars, CONNECTION_KEYS.port) ?? 22;
  const port = Number(portValue);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InputError(`host '${name}': port must be a number from 1 to 65535, not '${String(portValue)}'`, location);
  }
  const connectionValue = String(pick(vars, CONNECTION_KEYS.connection) ?? (name === 'localhost' ? 'local' : 'ssh'));
  if (connectionValue !== 'ssh' && connectionValue !== 'local') {
    throw new InputError(`host '${name}': connection must be 'ssh' or 'local', not '${connectionValue}'`, location);
  }
  const key = pick(vars, CONNECTION_KEYS.privateKey);
  return {
    name,
    connection: connectionValue,
    address: String(address),
    port,
    user: String(pick(vars, CONNECTION_KEYS.user) ?? 'root'),
    ...(key === undefined ? {} : { privateKey: String(key) }),
    ...(location === undefined ? {} : { location }),
    groups,
    vars: { ...vars, inventory_hostname: name, group_names: groups.filter((g) => g !== 'all') },
  };
}
