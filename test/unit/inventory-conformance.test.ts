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
  it('the corpus has at least 40 inventories, each with a recorded expectation', () => {
    assert.ok(names.length >= 40, `${names.length} inventories`);
    for (const n of names) assert.ok(expected(n).ansible.startsWith('ansible [core 2.14'), n);
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
  it('at least 50 patterns', () => assert.ok(recorded.results.length >= 50));
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
