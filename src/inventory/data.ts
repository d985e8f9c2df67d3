// The inventory as Ansible builds it, whatever file it came from: groups with their
// variables, hosts and child groups; hosts with their own variables. The readers (INI,
// YAML) add to it in file order; `reconcile` then applies Ansible's rules: every group
// without a parent hangs under `all`, a host in no group but `all` is in `ungrouped`,
// and a group's depth is its longest distance from `all` (which orders variables).
import { InputError, type SourceLocation } from '../errors.ts';
import { emptyVars, type VarMap } from '../vars.ts';

export interface GroupData {
  name: string;
  vars: VarMap;
  /** Hosts listed in this group itself, in the order first listed. */
  hosts: string[];
  children: string[];
  parents: string[];
  depth: number;
  /** `ansible_group_priority`: among groups of one depth, higher ones win. */
  priority: number;
  location?: SourceLocation;
}

export interface HostData {
  name: string;
  vars: VarMap;
  /** Groups that list the host itself (ancestors are found through them). */
  groups: string[];
  location?: SourceLocation;
}

export class InventoryData {
  readonly groups = new Map<string, GroupData>();
  readonly hosts = new Map<string, HostData>();

  constructor(readonly file: string) {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  addGroup(name: string, location?: SourceLocation): GroupData {
    let group = this.groups.get(name);
    if (!group) {
      group = { name, vars: emptyVars(), hosts: [], children: [], parents: [], depth: 0, priority: 1, location };
      this.groups.set(name, group);
    }
    group.location ??= location;
    return group;
  }

  /**
   * Adds a host (once: a port given later for a known host is ignored, as in Ansible)
   * and, with `group`, lists it there.
   */
  addHost(name: string, group?: string, port?: number, location?: SourceLocation): HostData {
    let host = this.hosts.get(name);
    if (!host) {
      host = { name, vars: emptyVars(), groups: [], location };
      this.hosts.set(name, host);
      if (port !== undefined) host.vars.ansible_port = port;
    }
    if (group !== undefined) {
      const g = this.groups.get(group);
      if (!g) throw new InputError(`host '${name}': group '${group}' is not defined`, location);
      if (!g.hosts.includes(name)) g.hosts.push(name);
      if (!host.groups.includes(group)) host.groups.push(group);
    }
    return host;
  }

  addChild(parent: string, child: string, location?: SourceLocation): void {
    const p = this.groups.get(parent)!;
    const c = this.groups.get(child)!;
    if (p === c) throw new InputError(`group '${parent}' cannot be its own child`, location ?? p.location);
    if (p.children.includes(child)) return;
    if (this.ancestors(parent).has(child)) {
      throw new InputError(`group '${child}' is its own child (${child} → ${parent} → ${child})`, location ?? c.location);
    }
    p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
    this.deepen(c, p.depth + 1);
  }

  /** Sets a group's variable; `ansible_group_priority` sets its priority instead. */
  setGroupVariable(group: string, key: string, value: unknown, location?: SourceLocation): void {
    const g = this.groups.get(group)!;
    if (key === 'ansible_group_priority') {
      const n = Number(value);
      if (!Number.isInteger(n)) throw new InputError(`group '${group}': ansible_group_priority must be a whole number, not '${String(value)}'`, location);
      g.priority = n;
    } else g.vars[key] = value;
  }

  ancestors(group: string): Set<string> {
    const out = new Set<string>();
    const walk = (name: string) => {
      for (const p of this.groups.get(name)!.parents) {
        if (!out.has(p)) {
          out.add(p);
          walk(p);
        }
      }
    };
    walk(group);
    return out;
  }

  /** Every group a host belongs to: those listing it, and their ancestors. */
  groupsOf(host: string): Set<string> {
    const out = new Set<string>();
    for (const g of this.hosts.get(host)!.groups) {
      out.add(g);
      for (const a of this.ancestors(g)) out.add(a);
    }
    return out;
  }

  /**
   * The hosts of a group, its descendants' included, in Ansible's order: the group's
   * own, then its children's in order, then the next generation's.
   */
  hostsOf(group: string): string[] {
    const order: string[] = [group, ...this.groups.get(group)!.children];
    const seenGroups = new Set(order);
    let generation = this.groups.get(group)!.children;
    while (generation.length > 0) {
      const next: string[] = [];
      for (const g of generation) {
        for (const c of this.groups.get(g)!.children) {
          if (!seenGroups.has(c)) {
            seenGroups.add(c);
            order.push(c);
            next.push(c);
          }
        }
      }
      generation = next;
    }
    const out: string[] = [];
    const seen = new Set<string>();
    for (const g of order) {
      for (const h of this.groups.get(g)!.hosts) {
        if (!seen.has(h)) {
          seen.add(h);
          out.push(h);
        }
      }
    }
    return out;
  }

  reconcile(): void {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name);
    }
    const ungrouped = this.groups.get('ungrouped')!;
    for (const host of this.hosts.values()) {
      const mine = this.groupsOf(host.name);
      if (mine.has('ungrouped')) {
        // Listed before any section and again in a group: not ungrouped after all.
        if ([...mine].some((g) => g !== 'all' && g !== 'ungrouped')) {
          ungrouped.hosts = ungrouped.hosts.filter((h) => h !== host.name);
          host.groups = host.groups.filter((g) => g !== 'ungrouped');
        }
      } else if (mine.size === 0 || (mine.size === 1 && mine.has('all'))) {
        this.addHost(host.name, 'ungrouped');
      }
    }
  }

  private deepen(group: GroupData, depth: number): void {
    if (depth <= group.depth) return;
    group.depth = depth;
    for (const c of group.children) this.deepen(this.groups.get(c)!, depth + 1);
  }
}

/** Groups ordered as Ansible merges their variables: depth, then priority, then name. */
export function sortGroups(groups: Iterable<GroupData>): GroupData[] {
  return [...groups].sort((a, b) => a.depth - b.depth || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
