// What an inventory becomes, whatever file it came from: hosts with their variables
// merged as Ansible merges them, and how to reach each one.
//
// Variables: groups ordered by depth (distance from `all`), then
// `ansible_group_priority`, then name in plain code-point order; later groups win; the
// host's own variables win over all of them.
//
// Connection: only `ansible_*` names are connection settings — a variable called
// `host`, `port` or `user` is the application's, as in Ansible. Where Ansible reads two
// names, the later one in its ssh plugin's list wins: `ansible_ssh_host` over
// `ansible_host`, `ansible_ssh_port` over `ansible_port`, `ansible_ssh_user` over
// `ansible_user`, `ansible_ssh_private_key_file` over `ansible_private_key_file`. They
// may be templates over the host's variables (`{{ inventory_hostname }}.example.org`).
// With no user, the local login name is used, as ssh does. -e overrides them all, as
// extra variables override everything in Ansible (connectionWithExtraVars).
//
// A host tend cannot contact — an ansible_connection it does not have, a key file that
// cannot be read — is still a host: it is listed, validated and shown by `tend
// inventory`; when a run reaches it, it is unreachable with that reason and the others
// go on, as in Ansible, which fails such a host only when it connects.
import { accessSync, constants, statSync } from 'node:fs';
import { InputError, type SourceLocation } from '../errors.ts';
import { expandHome, localUser } from '../local-user.ts';
import { hasTemplate, render, TemplateError, variableLookup } from '../playbook/template.ts';
import { emptyVars, mergeVars } from '../vars.ts';
import { sortGroups, type InventoryData } from './data.ts';
import type { VarsDirs } from './vars-dirs.ts';
import { shlexSplit } from '../shlex.ts';
import { jumpFromSshArgs, parseJumpSpec, type JumpHop } from './jump-spec.ts';

export type Vars = Record<string, unknown>;

export interface Host {
  name: string;
  /**
   * `local` runs tasks on this machine without SSH; `docker` and `podman` in the
   * container named by the address; `exec` through the `exec` command prefix.
   */
  connection: ConnectionType;
  /** For `exec`: the command that runs a program inside the host (`kubectl exec -i POD --`). */
  exec?: string[];
  address: string;
  port: number;
  user: string;
  privateKey?: string;
  /** Every group the host belongs to, `all` included, directly or through children. */
  groups: string[];
  /** Variables after precedence, with `inventory_hostname` and `group_names`. */
  vars: Vars;
  /** Where the inventory names the host, for errors found later. */
  location?: SourceLocation;
  /** Which settings the inventory gave (ssh's own config may fill in the others). */
  explicit?: { user: boolean; port: boolean };
  /** Bastions to go through, first to last (ProxyJump). */
  jump?: JumpHop[];
  /** From ssh's config: seconds to wait for the connection (ConnectTimeout). */
  connectTimeoutS?: number;
  /** From ssh's config: only the key files, not the agent's other identities (IdentitiesOnly). */
  identitiesOnly?: boolean;
  /** Why tend cannot contact this host (reported unreachable when a run reaches it). */
  unreachable?: string;
}

export interface Inventory {
  file: string;
  hosts: Map<string, Host>;
  /** group name → names of the hosts in it (descendants included), in Ansible's order. */
  groups: Map<string, string[]>;
  /** The groups and hosts as read, for `tend inventory`. */
  data: InventoryData;
}

const CONNECTION = {
  address: ['ansible_host', 'ansible_ssh_host'],
  port: ['ansible_port', 'ansible_ssh_port'],
  user: ['ansible_user', 'ansible_ssh_user'],
  privateKey: ['ansible_private_key_file', 'ansible_ssh_private_key_file'],
  connection: ['ansible_connection'],
} as const;

/** Every variable name that is a connection setting. */
export const CONNECTION_VARIABLES: readonly string[] = Object.values(CONNECTION).flat();

/** Connection types tend has, by the names Ansible gives them. */
export type ConnectionType = 'ssh' | 'local' | 'docker' | 'podman' | 'exec';

const CONNECTION_TYPES: Record<string, ConnectionType> = {
  ssh: 'ssh',
  smart: 'ssh',
  paramiko: 'ssh',
  'ansible.builtin.ssh': 'ssh',
  local: 'local',
  'ansible.builtin.local': 'local',
  docker: 'docker',
  'community.docker.docker': 'docker',
  podman: 'podman',
  'containers.podman.podman': 'podman',
  exec: 'exec',
};

/**
 * Resolves group variables and connections into Host records. With `varsDirs`
 * (group_vars/ and host_vars/ beside the inventory), Ansible's precedence: the file's
 * group variables < group_vars/all < group_vars/GROUP < the file's host variables <
 * host_vars/HOST.
 */
export function buildInventory(data: InventoryData, varsDirs?: VarsDirs): Inventory {
  data.reconcile();
  const hosts = new Map<string, Host>();
  for (const host of data.hosts.values()) {
    const memberOf = data.groupsOf(host.name);
    const sorted = sortGroups([...memberOf].map((name) => data.groups.get(name)!));
    const vars = emptyVars();
    for (const g of sorted) mergeVars(vars, g.vars);
    if (varsDirs) {
      mergeVars(vars, varsDirs.group('all') ?? {});
      for (const g of sorted) if (g.name !== 'all') mergeVars(vars, varsDirs.group(g.name) ?? {});
    }
    mergeVars(vars, host.vars);
    if (varsDirs) mergeVars(vars, varsDirs.host(host.name) ?? {});
    const groupNames = [...memberOf].filter((g) => g !== 'all').sort();
    vars.inventory_hostname = host.name;
    vars.group_names = groupNames;
    hosts.set(host.name, toHost(host.name, ['all', ...groupNames], vars, host.location));
  }
  const groups = new Map([...data.groups.keys()].map((g) => [g, data.hostsOf(g)]));
  return { file: data.file, hosts, groups, data };
}

/** The last of `names` that the host defines, rendered with the host's variables. */
function setting(vars: Vars, names: readonly string[], host: string, location?: SourceLocation): unknown {
  let value: unknown;
  let name: string | undefined;
  for (const n of names) {
    if (vars[n] !== undefined && vars[n] !== null) {
      value = vars[n];
      name = n;
    }
  }
  if (!hasTemplate(value)) return value;
  try {
    return render(value, variableLookup([vars]));
  } catch (e) {
    throw new InputError(`host '${host}': ${name}: ${e instanceof TemplateError ? e.message : String(e)}`, location);
  }
}

function toHost(name: string, groups: string[], vars: Vars, location?: SourceLocation): Host {
  const address = setting(vars, CONNECTION.address, name, location) ?? name;
  const portValue = setting(vars, CONNECTION.port, name, location) ?? 22;
  const port = Number(portValue);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InputError(`host '${name}': port must be a number from 1 to 65535, not '${String(portValue)}'`, location);
  }
  const kind = String(setting(vars, CONNECTION.connection, name, location) ?? 'ssh');
  const known = CONNECTION_TYPES[kind];
  const connection = known ?? 'ssh';
  const unreachable = known ? undefined : `ansible_connection '${kind}' is not one tend has (ssh, local, docker, podman, exec)`;
  let exec: string[] | undefined;
  if (connection === 'exec') {
    const prefix = setting(vars, ['tend_exec'], name, location);
    exec = Array.isArray(prefix) ? prefix.map(String) : typeof prefix === 'string' ? shlexSplit(prefix) : undefined;
    if (!exec || exec.length === 0) {
      throw new InputError(`host '${name}': ansible_connection exec needs tend_exec, the command that runs a program inside the host (e.g. [kubectl, exec, -i, POD, --])`, location);
    }
  }
  const key = setting(vars, CONNECTION.privateKey, name, location);
  const user = setting(vars, CONNECTION.user, name, location);
  const sshArgs = setting(vars, ['ansible_ssh_common_args', 'ansible_ssh_extra_args'], name, location);
  let jump: JumpHop[] | undefined;
  if (typeof sshArgs === 'string') {
    const spec = jumpFromSshArgs(sshArgs);
    if (spec !== undefined) {
      try {
        jump = parseJumpSpec(spec);
      } catch (e) {
        throw new InputError(`host '${name}': ${(e as Error).message}`, location);
      }
    }
  }
  return {
    name,
    connection,
    address: String(address),
    port,
    user: String(user ?? localUser()),
    explicit: { user: user !== undefined, port: setting(vars, CONNECTION.port, name, location) !== undefined },
    ...(key === undefined ? {} : { privateKey: String(key) }),
    groups,
    vars,
    ...(location === undefined ? {} : { location }),
    ...(jump === undefined ? {} : { jump }),
    ...(exec === undefined ? {} : { exec }),
    ...(unreachable === undefined ? {} : { unreachable }),
  };
}

/**
 * The host's connection with -e over its variables: extra variables win over the
 * inventory (`-e ansible_user=deploy`), as in Ansible. The host's variables stay the
 * inventory's (a run layers -e over them itself).
 */
export function connectionWithExtraVars(host: Host, extraVars: Vars): Host {
  if (Object.keys(extraVars).length === 0) return host;
  const vars = mergeVars(emptyVars(), host.vars, extraVars);
  return { ...toHost(host.name, host.groups, vars, host.location), vars: host.vars };
}

/** Why the host's private key file cannot be read, if it cannot (the host is then unreachable). */
export function keyFileProblem(host: Host): string | undefined {
  const key = host.privateKey;
  if (key === undefined) return undefined;
  try {
    const file = expandHome(key);
    accessSync(file, constants.R_OK);
    if (statSync(file).isDirectory()) return `private key ${key} cannot be read (EISDIR)`;
  } catch (e) {
    return `private key ${key} cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`;
  }
  return undefined;
}
