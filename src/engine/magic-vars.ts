// Ansible's magic variables: what every task sees without anyone defining it. As in
// ansible-core 2.14 (VariableManager._get_magic_variables, recorded in
// test/unit/magic-vars.test.ts), they sit above every other layer, -e included:
//   run:  groups, hostvars, omit, playbook_dir, ansible_version, ansible_check_mode,
//         ansible_diff_mode, ansible_forks, ansible_verbosity, ansible_run_tags,
//         ansible_skip_tags, ansible_limit (when given), ansible_inventory_sources,
//         ansible_config_file, ansible_playbook_python;
//   host: inventory_hostname(_short), group_names, inventory_file, inventory_dir;
//   play: ansible_play_name, ansible_play_hosts_all, ansible_play_hosts (those not failed
//         or unreachable so far), ansible_play_batch and play_hosts (the serial wave's),
//         role_names, ansible_role_names, ansible_play_role_names;
//   role: role_name, ansible_role_name, role_path.
// `hostvars[h]` is another host's variables as Ansible builds them without a play: its
// inventory variables, -e, its host and run magic, and its facts once it has read them.
// tend runs hosts independently, so another host's facts are there only if that host
// read them before this one's tasks were prepared (Ansible's linear strategy gathers
// every host's facts first); README, Templates, says so.
import { dirname, resolve } from 'node:path';
import type { Host, Inventory } from '../inventory/index.ts';
import type { Play, TaskSpec } from '../playbook/plays.ts';
import { OMIT_TOKEN } from '../playbook/omit.ts';
import { variableLookup } from '../playbook/template.ts';
import { fromJS, LazyDict, MISSING_ATTR } from '../template/index.ts';
import { FACT_NAMES } from './facts.ts';
import type { HostVarsState } from './host-state.ts';

/** What a run knows that its magic variables show; made once by the command. */
export interface RunMagic {
  inventory: Pick<Inventory, 'file' | 'hosts' | 'groups'>;
  playbookFile: string;
  check: boolean;
  forks: number;
  limit?: string;
  runTags: string[];
  skipTags: string[];
  extraVars: Record<string, unknown>;
  /** Each play's hosts in this run, in inventory order. */
  playHosts: Map<Play, string[]>;
  /** Hosts that failed or were unreachable so far: out of ansible_play_hosts. */
  removed: Set<string>;
  /** Facts of the hosts that have read theirs, by host name (for hostvars). */
  facts: Map<string, Record<string, unknown>>;
  /** Variables each host's tasks set (include_vars, set_fact, register), kept from play to play and wave to wave. */
  setVars: Map<string, HostVarsState>;
}

/** ansible-core's version, whose behaviour tend follows (README, Ansible compatibility). */
export const ANSIBLE_VERSION = { string: '2.14.18', full: '2.14.18', major: 2, minor: 14, revision: 18 };

/** The run's parts of a RunMagic that a caller fills in once. */
export function newRunMagic(fields: Omit<RunMagic, 'removed' | 'facts' | 'setVars'>): RunMagic {
  return { ...fields, removed: new Set(), facts: new Map(), setVars: new Map() };
}

const runVarsByRun = new WeakMap<RunMagic, Record<string, unknown>>();

function runVars(run: RunMagic): Record<string, unknown> {
  let found = runVarsByRun.get(run);
  if (!found) {
    found = makeRunVars(run);
    runVarsByRun.set(run, found);
  }
  return found;
}

function makeRunVars(run: RunMagic): Record<string, unknown> {
  return {
    playbook_dir: dirname(resolve(run.playbookFile)),
    ansible_playbook_python: null,
    ansible_config_file: null,
    groups: Object.fromEntries(run.inventory.groups),
    omit: OMIT_TOKEN,
    ansible_check_mode: run.check,
    // tend always computes the diff of what it changes (and shows it).
    ansible_diff_mode: true,
    ansible_forks: run.forks,
    ansible_inventory_sources: [resolve(run.inventory.file)],
    ...(run.limit !== undefined ? { ansible_limit: run.limit } : {}),
    ansible_run_tags: run.runTags.length > 0 ? run.runTags : ['all'],
    ansible_skip_tags: run.skipTags,
    ansible_verbosity: 0,
    ansible_version: ANSIBLE_VERSION,
  };
}

function hostMagic(host: Host, run: RunMagic): Record<string, unknown> {
  const file = host.location?.file ?? run.inventory.file;
  return {
    inventory_hostname: host.name,
    inventory_hostname_short: host.name.split('.')[0],
    group_names: host.vars.group_names,
    inventory_file: resolve(file),
    inventory_dir: dirname(resolve(file)),
  };
}

// Ansible's implicit localhost, which hostvars lists after the inventory's hosts when the
// inventory has none of that name: local, in no group, from no inventory file.
const IMPLICIT_LOCALHOST = { inventory_hostname: 'localhost', group_names: [], ansible_connection: 'local', ansible_python_interpreter: null };

/** `hostvars`: every host of the inventory, each one's variables built when first read. */
function hostVars(run: RunMagic): LazyDict {
  const shared = runVars(run);
  const hosts = run.inventory.hosts;
  const names = [...hosts.keys(), ...(hosts.has('localhost') ? [] : ['localhost'])];
  return new LazyDict(names, (name) => {
    const host = hosts.get(name);
    const facts = run.facts.get(name);
    const own = host ? { ...hostMagic(host, run) } : { inventory_hostname: 'localhost', inventory_hostname_short: 'localhost', group_names: [] };
    const magic = { ...shared, ...own, ansible_facts: facts?.ansible_facts ?? {} };
    const vars = host?.vars ?? IMPLICIT_LOCALHOST;
    const below = (n: string) => (facts && FACT_NAMES.has(n) && Object.hasOwn(facts, n) ? facts[n] : undefined);
    const lookup = variableLookup([vars, run.extraVars], below, magic);
    const names = [...new Set([...Object.keys(vars), ...Object.keys(run.extraVars), ...Object.keys(magic), ...(facts ? Object.keys(facts).filter((n) => FACT_NAMES.has(n)) : [])])];
    return new LazyDict(names, (n) => {
      const v = lookup(n);
      // Template values, as a template reading a variable gets them.
      return v === undefined ? MISSING_ATTR : fromJS(v);
    });
  });
}

const hostVarsByRun = new WeakMap<RunMagic, LazyDict>();

/** One hostvars per run: each host's variables are built once, whoever reads them. */
function sharedHostVars(run: RunMagic): LazyDict {
  let found = hostVarsByRun.get(run);
  if (!found) {
    found = hostVars(run);
    hostVarsByRun.set(run, found);
  }
  return found;
}

/** Roles of the play, in the order their tasks come. */
function playRoles(play: Play): string[] {
  return [...new Set([...play.tasks, ...play.handlers].flatMap((t) => (t.scope ? [t.scope.role] : [])))];
}

/**
 * The magic variables of `host` in `play`, for a task in `scope` (a role's) or none.
 * `batch` is the play's hosts in the wave now running.
 */
export function magicVars(run: RunMagic, play: Play, host: Host, batch: readonly string[], scope?: TaskSpec['scope']): Record<string, unknown> {
  const hostvars = sharedHostVars(run);
  const alive = (names: readonly string[]) => names.filter((n) => !run.removed.has(n));
  const roles = playRoles(play);
  return {
    ...runVars(run),
    ...hostMagic(host, run),
    hostvars,
    ansible_play_name: play.unnamed ? play.hosts : play.name,
    ansible_play_hosts_all: [...(run.playHosts.get(play) ?? batch)],
    ansible_play_hosts: alive(run.playHosts.get(play) ?? batch),
    ansible_play_batch: alive(batch),
    play_hosts: alive(batch),
    role_names: roles,
    ansible_role_names: roles,
    ansible_play_role_names: roles,
    ...(scope ? { role_name: scope.role, ansible_role_name: scope.role, ...(scope.path ? { role_path: scope.path } : {}) } : {}),
  };
}

/**
 * The magic variables of `host` outside a play (`tend template`): the run's and the
 * host's, hostvars; no play hosts, no role.
 */
export function hostMagicVars(run: RunMagic, host: Host): Record<string, unknown> {
  const hostvars = sharedHostVars(run);
  return { ...runVars(run), ...hostMagic(host, run), hostvars };
}
