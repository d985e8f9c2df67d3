// Loading an inventory file (src/inventory/index.ts): which reader by the file's name, and
// group_vars/ beside the file wherever it is named from. The YAML expectations are
// ansible-core 2.14.18's for the same files (`ansible-inventory -i FILE --list`).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { InputError } from '../../src/errors.ts';
import { describe, it } from 'node:test';
import { inventoryList } from '../../src/commands/inventory.ts';
import { loadInventory, localInventory } from '../../src/inventory/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tend-inventory-load-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const listed = (path: string) => JSON.parse(JSON.stringify(inventoryList(loadInventory(path))));

describe('the reader, by the file name', () => {
  it('.json is read as YAML (JSON is YAML)', () => {
    const path = file('inv.json', '{"all": {"hosts": {"j1": {"x": 1}}, "children": {"web": {"hosts": {"j2": null}}}}}\n');
    assert.deepEqual(listed(path), {
      _meta: { hostvars: { j1: { x: 1 } } },
      all: { children: ['ungrouped', 'web'] },
      ungrouped: { hosts: ['j1'] },
      web: { hosts: ['j2'] },
    });
  });
  it('.yaml is read as YAML, with YAML 1.1 scalars', () => {
    const path = file('inv.yaml', 'all:\n  hosts:\n    y1:\n      v: yes\n');
    assert.deepEqual(listed(path), { _meta: { hostvars: { y1: { v: true } } }, all: { children: ['ungrouped'] }, ungrouped: { hosts: ['y1'] } });
  });
  it('.yml in capitals is YAML too; any other name is INI', () => {
    assert.deepEqual([...loadInventory(file('INV.YML', 'all:\n  hosts:\n    u1:\n')).hosts.keys()], ['u1']);
    assert.deepEqual([...loadInventory(file('inv.yml.ini', 'i1 v=yes\n')).hosts.keys()], ['i1']);
    assert.equal(loadInventory(file('hosts', 'i2 v=yes\n')).hosts.get('i2')!.vars.v, 'yes');
  });
});

describe('a file that cannot be read', () => {
  it('is named as the inventory', () => {
    const missing = join(dir, 'nosuch');
    assert.throws(() => loadInventory(missing), (e: unknown) => e instanceof InputError && e.message === `cannot read inventory ${missing}: ENOENT`);
    assert.throws(() => loadInventory(dir), (e: unknown) => e instanceof InputError && e.message === `inventory ${dir} is not a regular file; tend reads only regular files`);
  });
});

describe('group_vars/ beside the file', () => {
  it('is found when the file is named by a relative path', () => {
    const sub = join(dir, 'site');
    mkdirSync(join(sub, 'group_vars'), { recursive: true });
    writeFileSync(join(sub, 'hosts'), '[web]\nw1\n');
    writeFileSync(join(sub, 'group_vars', 'web.yml'), 'from_dir: 1\n');
    assert.equal(loadInventory(relative(process.cwd(), join(sub, 'hosts'))).hosts.get('w1')!.vars.from_dir, 1);
  });
});

describe('the implicit inventory', () => {
  it('is this machine, without SSH', () => {
    const inv = localInventory();
    assert.deepEqual([...inv.hosts.keys()], ['localhost']);
    const h = inv.hosts.get('localhost')!;
    assert.deepEqual([h.connection, h.address], ['local', 'localhost']);
    // What warnings name as the inventory (a pattern that matches nothing 'of (implicit localhost)').
    assert.equal(inv.file, '(implicit localhost)');
  });
});
