// tend against Ansible on the conformance corpus (test/conformance/): each inventory's
// groups, hosts and merged variables must equal `ansible-inventory --list`, each host's
// connection what Ansible's ssh plugin would use, and each pattern's hosts what
// `ansible --list-hosts` lists. The expectations were recorded from ansible-core by
// test/conformance/record.py; where Ansible refused an inventory or a pattern, tend must
// refuse it too, with a located error.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inventoryList } from '../../src/commands/inventory.ts';
import { InputError } from '../../src/errors.ts';
import { loadInventory, selectHosts, type Inventory } from '../../src/inventory/index.ts';

const DIR = new URL('../conformance/', import.meta.url).pathname;
const INVENTORIES = join(DIR, 'inventories');

interface Expected {
  ansible: string;
  error?: string;
  list?: Record<string, unknown>;
  connection?: Record<string, { connection: 'ssh' | 'local' | null; address?: string; port?: number | null; user?: string | null; key?: string | null }>;
}

const names = readdirSync(INVENTORIES).filter((f) => !f.endsWith('.limit')).sort();
const expected = (name: string): Expected => JSON.parse(readFileSync(join(DIR, 'expected', `${name}.json`), 'utf8'));
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('inventories as ansible-inventory reads them', () => {
  it('each group ansible-inventory lists selects, as a host pattern, its hosts and its descendants\' hosts, and those hosts have it among their groups', () => {
    let groupsChecked = 0;
    let inventoriesChecked = 0;
    for (const name of names) {
      const want = expected(name);
      assert.ok(want.ansible.startsWith('ansible [core 2.14'), name);
      if (want.list === undefined) continue;
      const list = want.list as Record<string, { hosts?: string[]; children?: string[] }>;
      const file = statSync(join(INVENTORIES, name)).isDirectory() ? join(INVENTORIES, name, 'hosts') : join(INVENTORIES, name);
      const inventory = loadInventory(file);
      // A group's hosts as Ansible's Group.get_hosts() has them: its own and its descendants'.
      const members = (group: string, seen = new Set<string>()): Set<string> => {
        const out = new Set(list[group]?.hosts ?? []);
        for (const child of list[group]?.children ?? []) if (!seen.has(child)) for (const h of members(child, seen.add(child))) out.add(h);
        return out;
      };
      const groupsOf = new Map<string, Set<string>>();
      for (const group of Object.keys(list).filter((g) => g !== '_meta')) {
        const hosts = [...members(group)].sort();
        for (const h of hosts) groupsOf.set(h, (groupsOf.get(h) ?? new Set()).add(group));
        // A host named exactly as the group wins over it, in Ansible as in tend.
        if (inventory.hosts.has(group)) continue;
        const selected = selectHosts(inventory, undefined, group, () => {}).map((h) => h.name);
        assert.equal(new Set(selected).size, selected.length, `${name}: ${group} selects a host twice`);
        assert.deepEqual([...selected].sort(), hosts, `${name}: the hosts of group ${group}`);
        groupsChecked++;
      }
      for (const [host, groups] of groupsOf) {
        assert.deepEqual([...inventory.hosts.get(host)!.groups].sort(), [...groups].sort(), `${name}: the groups of ${host}`);
      }
      assert.deepEqual([...inventory.hosts.keys()].sort(), [...groupsOf.keys()].sort(), `${name}: the hosts`);
      inventoriesChecked++;
    }
    // Every inventory Ansible accepted was checked (none skipped by a mistake in the loop above).
    assert.equal(inventoriesChecked, names.filter((n) => expected(n).list !== undefined).length);
    assert.ok(inventoriesChecked >= 40 && groupsChecked >= 100, `${inventoriesChecked} inventories, ${groupsChecked} groups`);
  });
  for (const name of names) {
    const want = expected(name);
    // A directory holds an inventory `hosts` with its group_vars/ and host_vars/.
    const file = statSync(join(INVENTORIES, name)).isDirectory() ? join(INVENTORIES, name, 'hosts') : join(INVENTORIES, name);
    if (want.error !== undefined) {
      it(`${name}: refused, as Ansible refuses it`, () => {
        assert.throws(() => loadInventory(file), (e: unknown) => e instanceof InputError && e.location?.file === file);
      });
      continue;
    }
    it(`${name}: groups, hosts and variables`, () => {
      assert.deepEqual(plain(inventoryList(loadInventory(file))), want.list);
    });
    if (want.connection) {
      it(`${name}: the connection of every host`, () => {
        const inventory = loadInventory(file);
        for (const [host, c] of Object.entries(want.connection!)) {
          const got = inventory.hosts.get(host)!;
          if (c.connection === 'local') {
            assert.equal(got.connection, 'local', host);
            continue;
          }
          // No port or user on Ansible's ssh command line means ssh's defaults.
          assert.deepEqual(
            { address: got.address, port: got.port, user: got.user, key: got.privateKey ?? null },
            { address: c.address, port: c.port ?? 22, user: c.user ?? userInfo().username, key: c.key ?? null },
            host,
          );
        }
      });
    }
  }
});

describe('host patterns as ansible --list-hosts resolves them', () => {
  const recorded: { results: { inventory: string; pattern: string; hosts?: string[]; error?: string; warned?: boolean }[] } = JSON.parse(
    readFileSync(join(DIR, 'expected', 'patterns.json'), 'utf8'),
  );
  const inventories = new Map<string, Inventory>();
  const inventory = (name: string) => inventories.get(name) ?? inventories.set(name, loadInventory(join(INVENTORIES, name))).get(name)!;
  // A play's hosts narrowed by --limit are, as Ansible's get_hosts(pattern) with a subset
  // gives them, the play pattern's hosts (in its order) that the limit also selects: each
  // pair of recorded patterns of one inventory gives the answer from Ansible's two lists.
  it('every recorded pattern narrowed by every other as --limit: the first one\'s hosts the second also lists', () => {
    let pairs = 0;
    let narrowed = 0;
    for (const play of recorded.results) {
      if (play.hosts === undefined || play.pattern.startsWith('@')) continue;
      for (const limit of recorded.results) {
        if (limit.inventory !== play.inventory || limit.hosts === undefined) continue;
        const limitText = limit.pattern.startsWith('@') ? `@${join(INVENTORIES, limit.pattern.slice(1))}` : limit.pattern;
        const want: string[] = play.hosts.filter((h: string) => limit.hosts!.includes(h));
        const got = selectHosts(inventory(play.inventory), limitText, play.pattern, () => {}).map((h) => h.name);
        assert.deepEqual(got, want, `${play.inventory}: hosts '${play.pattern}' --limit '${limit.pattern}'`);
        pairs++;
        if (want.length < play.hosts.length) narrowed++;
      }
    }
    assert.ok(pairs >= 1000 && narrowed >= 500, `${pairs} pairs, ${narrowed} of them narrowed`);
  });
  for (const r of recorded.results) {
    it(`${r.inventory}: ${r.pattern}`, () => {
      const warnings: string[] = [];
      const select = () =>
        r.pattern.startsWith('@')
          ? selectHosts(inventory(r.inventory), `@${join(INVENTORIES, r.pattern.slice(1))}`, 'all', (w) => warnings.push(w))
          : selectHosts(inventory(r.inventory), undefined, r.pattern, (w) => warnings.push(w));
      if (r.error !== undefined) {
        assert.throws(select, InputError);
        return;
      }
      assert.deepEqual(
        select().map((h) => h.name),
        r.hosts,
      );
      assert.equal(warnings.length > 0, r.warned === true, `warnings: ${warnings.join('; ')}`);
    });
  }
});
