// The inventory as read (src/inventory/data.ts): the order of a group's hosts, a port
// given again for a known host, ansible_group_priority, and the loops Ansible refuses.
// Expectations are ansible-core 2.14.18's for the same INI text (`ansible --list-hosts`,
// `ANSIBLE_INVENTORY_ENABLED=ini ansible-inventory --list`), quoted beside each.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { InventoryData, sortGroups } from '../../src/inventory/data.ts';
import { parseIniInventory } from '../../src/inventory/ini.ts';
import { parseYamlInventory } from '../../src/inventory/yaml.ts';
import { YamlSource } from '../../src/yaml-source.ts';
import { buildInventory } from '../../src/inventory/model.ts';

const ini = (text: string) => buildInventory(parseIniInventory('hosts', text));

describe("a group's hosts, in Ansible's order", () => {
  it("its own, then its children's, then the next generation's, each once", () => {
    // ansible --list-hosts p: h3 h2 h4 h1; c1: h1 h2; all: h3 h2 h4 h1
    const inv = ini('[p:children]\nc1\nc2\n[c1:children]\ng\n[c2]\nh2\nh4\n[g]\nh1\nh2\n[p]\nh3\n');
    assert.deepEqual(inv.groups.get('p'), ['h3', 'h2', 'h4', 'h1']);
    assert.deepEqual(inv.groups.get('c1'), ['h1', 'h2']);
    assert.deepEqual(inv.groups.get('all'), ['h3', 'h2', 'h4', 'h1']);
  });
});

describe('a host listed again', () => {
  it('keeps the port it was first listed with, or none', () => {
    // ansible-inventory: w1 {ansible_port: 2200}; and no ansible_port for the second
    assert.equal(ini('[web]\nw1:2200\n[db]\nw1:2222\n').hosts.get('w1')!.vars.ansible_port, 2200);
    assert.equal(ini('w1\n[web]\nw1:2222\n').hosts.get('w1')!.vars.ansible_port, undefined);
    assert.equal(ini('w1\n[web]\nw1:2222\n').hosts.get('w1')!.port, 22);
  });
  it('is in each group once; listed before any section and in a group, it is not ungrouped', () => {
    const inv = ini('w1\n[web]\nw1\nw1\n[db]\nw1\n');
    assert.deepEqual(inv.data.groups.get('web')!.hosts, ['w1']);
    assert.deepEqual(inv.data.hosts.get('w1')!.groups, ['web', 'db']);
    assert.deepEqual(inv.groups.get('ungrouped'), []);
    assert.deepEqual(inv.hosts.get('w1')!.vars.group_names, ['db', 'web']);
  });
});

describe('ansible_group_priority', () => {
  it('a number as text counts, and sets no variable', () => {
    // ansible-inventory: w1 {x: web}; web's priority 5 beats db's 1
    const inv = ini('[web]\nw1\n[web:vars]\nansible_group_priority="5"\n[db]\nw1\n[db:vars]\nx=db\n[web:vars]\nx=web\n');
    assert.deepEqual(inv.hosts.get('w1')!.vars.x, 'web');
    assert.equal('ansible_group_priority' in inv.hosts.get('w1')!.vars, false);
    assert.equal(inv.data.groups.get('web')!.priority, 5);
    assert.equal(inv.data.groups.get('db')!.priority, 1);
  });
  it('a word is refused at its line (Ansible: invalid literal for int() with base 10)', () => {
    assert.throws(
      () => ini('[web]\nw1\n[web:vars]\nansible_group_priority=abc\n'),
      (e: unknown) => e instanceof InputError && e.message === "group 'web': ansible_group_priority must be a whole number, not 'abc'" && e.location?.line === 4,
    );
  });
  it('orders groups of one depth: lower priority first, then the name in code-point order', () => {
    const d = new InventoryData('x');
    for (const [name, priority] of [['b', 1], ['a', 1], ['C', 1], ['z', 0], ['y', 2]] as const) d.addGroup(name).priority = priority;
    assert.deepEqual(sortGroups(['b', 'a', 'C', 'z', 'y'].map((n) => d.groups.get(n)!)).map((g) => g.name), ['z', 'C', 'a', 'b', 'y']);
    // Whatever order they come in.
    assert.deepEqual(sortGroups(['a', 'b', 'C', 'y', 'z'].map((n) => d.groups.get(n)!)).map((g) => g.name), ['z', 'C', 'a', 'b', 'y']);
    d.addGroup('a').depth = 2;
    assert.deepEqual(sortGroups(['b', 'a', 'y'].map((n) => d.groups.get(n)!)).map((g) => g.name), ['b', 'y', 'a']);
  });
});

describe('groups inside groups', () => {
  it('a group made its own child is refused at that line (Ansible: can\'t add group to itself)', () => {
    assert.throws(
      () => ini('[web]\nw1\n[web:children]\nweb\n'),
      (e: unknown) => e instanceof InputError && e.message === "group 'web' cannot be its own child" && e.location?.line === 4 && e.location.col === 1,
    );
  });
  it("a loop is refused where it closes (Ansible: Adding group 'a' as child to 'b' creates a recursive dependency loop)", () => {
    assert.throws(
      () => ini('[a:children]\nb\n[b:children]\na\n'),
      (e: unknown) => e instanceof InputError && e.message === "group 'a' is its own child (a → b → a)" && e.location?.line === 4,
    );
    assert.throws(() => ini('[a:children]\nb\n[b:children]\nc\n[c:children]\na\n'), (e: unknown) => e instanceof InputError && e.location?.line === 6);
  });
  it('depth is the longest distance from all, also when a deeper parent comes later', () => {
    const inv = ini('[a:children]\nc\n[b:children]\na\n[c]\nh\n');
    assert.deepEqual(['all', 'b', 'a', 'c'].map((g) => inv.data.groups.get(g)!.depth), [0, 1, 2, 3]);
    // c's variables win over a's and b's: it is the deepest.
    const v = ini('[a:children]\nc\n[b:children]\na\n[c]\nh\n[c:vars]\nx=c\n[a:vars]\nx=a\n[b:vars]\nx=b\n').hosts.get('h')!.vars.x;
    assert.equal(v, 'c');
  });
  it('a child listed twice is one child; a group keeps the location where it was first named', () => {
    const inv = ini('[p:children]\nweb\nweb\n[web]\nw1\n[web]\nw2\n');
    assert.deepEqual(inv.data.groups.get('p')!.children, ['web']);
    assert.deepEqual(inv.data.groups.get('web')!.parents, ['p']);
    assert.deepEqual(inv.data.groups.get('web')!.location, { file: 'hosts', line: 4, col: 1 });
  });
});

describe('the API the readers use', () => {
  it('a group named again in a YAML file keeps the location where it was first named', () => {
    const data = parseYamlInventory(YamlSource.load('inv.yml', 'web:\n  hosts:\n    w1:\nall:\n  children:\n    web:\n', { yaml11: true }));
    assert.deepEqual(data.groups.get('web')!.location, { file: 'inv.yml', line: 1, col: 1 });
  });
  it('a host added in no group is in none until reconciled, then in ungrouped', () => {
    const d = new InventoryData('x');
    assert.deepEqual(d.addHost('h').groups, []);
    assert.deepEqual(d.groups.get('ungrouped')!.hosts, []);
    d.reconcile();
    assert.deepEqual(d.hosts.get('h')!.groups, ['ungrouped']);
    assert.deepEqual(d.hostsOf('all'), ['h']);
  });
  it('a host added to a group that does not exist is an error naming both', () => {
    const d = new InventoryData('x');
    const at = { file: 'x', line: 3, col: 2 };
    assert.throws(() => d.addHost('h', 'nosuch', undefined, at), (e: unknown) => e instanceof InputError && e.message === "host 'h': group 'nosuch' is not defined" && e.location === at);
  });
  it('a new inventory has all, with ungrouped under it', () => {
    const d = new InventoryData('x');
    assert.deepEqual([...d.groups.keys()], ['all', 'ungrouped']);
    assert.deepEqual(d.groups.get('all')!.children, ['ungrouped']);
    assert.deepEqual([d.groups.get('all')!.depth, d.groups.get('ungrouped')!.depth, d.groups.get('ungrouped')!.priority], [0, 1, 1]);
  });
});
