// The YAML reader (src/inventory/yaml.ts) at its edges: names YAML reads as something
// other than text (refused with ansible-core 2.14.18's own sentence, checked against
// `ANSIBLE_INVENTORY_ENABLED=yaml ansible-inventory -i FILE --list`), shapes Ansible
// refuses, the deliberate refusals (an unknown key in a group, a group that is not a
// mapping: Ansible skips those with a warning), and files without groups. Each refusal is
// located at the offending key or value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { parseYamlInventory } from '../../src/inventory/yaml.ts';
import { YamlSource } from '../../src/yaml-source.ts';

const read = (text: string) => parseYamlInventory(YamlSource.load('inv.yml', text, { yaml11: true }));
const refused = (text: string, formatted: string) =>
  assert.throws(
    () => read(text),
    (e: unknown) => e instanceof InputError && e.format() === formatted,
    formatted,
  );

describe('names YAML does not read as text, refused with Ansible’s sentence', () => {
  it('a float, a date, a timestamp, a hex number as a host or group', () => {
    refused('all:\n  children:\n    1.5:\n', "inv.yml:3:5: Unable to add group 1.5: Invalid group name supplied, expected a string but got <class 'float'> for 1.5");
    refused('all:\n  children:\n    2024-01-01:\n', "inv.yml:3:5: Unable to add group 2024-01-01: Invalid group name supplied, expected a string but got <class 'datetime.date'> for 2024-01-01");
    refused('all:\n  children:\n    yes:\n', "inv.yml:3:5: Unable to add group True: Invalid group name supplied, expected a string but got <class 'bool'> for True");
    refused('all:\n  hosts:\n    2024-01-01 10:00:00:\n', 'inv.yml:3:5: Host pattern 2024-01-01 10:00:00 must be a string. Enclose integers/floats in quotation marks.');
    refused('all:\n  hosts:\n    0x1f:\n', 'inv.yml:3:5: Host pattern 31 must be a string. Enclose integers/floats in quotation marks.');
    refused('all:\n  hosts:\n    no:\n', 'inv.yml:3:5: Host pattern False must be a string. Enclose integers/floats in quotation marks.');
  });
  it('a false name (null, false, 0) as a group gets Ansible’s other sentence: add_group tests `if group:` first', () => {
    refused('~:\n  hosts:\n    a:\n', 'inv.yml:1:1: Unable to add group None: Invalid empty/false group name provided: None');
    refused('false:\n  hosts:\n    a:\n', 'inv.yml:1:1: Unable to add group False: Invalid empty/false group name provided: False');
    refused('all:\n  children:\n    0:\n', 'inv.yml:3:5: Unable to add group 0: Invalid empty/false group name provided: 0');
    refused('all:\n  children:\n    no:\n', 'inv.yml:3:5: Unable to add group False: Invalid empty/false group name provided: False');
  });
  it('at any depth of children, and only under hosts and children (a variable may be named 1)', () => {
    refused('all:\n  children:\n    web:\n      children:\n        db:\n          hosts:\n            d1:\n            7:\n', 'inv.yml:8:13: Host pattern 7 must be a string. Enclose integers/floats in quotation marks.');
    refused('web:\n  children:\n    db:\n      children:\n        8:\n', "inv.yml:5:9: Unable to add group 8: Invalid group name supplied, expected a string but got <class 'int'> for 8");
    // 1e3 is text to YAML 1.1 (no dot), as to PyYAML: a host name.
    assert.deepEqual([...read('all:\n  hosts:\n    1e3:\n').hosts.keys()], ['1e3']);
    assert.deepEqual({ ...read('all:\n  vars:\n    1: one\n  hosts:\n    h:\n').groups.get('all')!.vars }, { 1: 'one' });
  });
});

describe('shapes that are refused', () => {
  it('a file that is not a mapping (Ansible: YAML inventory has invalid structure, it should be a dictionary)', () => {
    refused('- a\n', 'inv.yml:1:1: an inventory must be a mapping of groups (for example `all:`)');
    refused('42\n', 'inv.yml:1:1: an inventory must be a mapping of groups (for example `all:`)');
  });
  it('hosts, vars or children that are not mappings, and a host mapped to a number (Ansible refuses each)', () => {
    refused('web:\n  vars: [1]\n', "inv.yml:2:9: vars of group 'web' must be a mapping");
    refused('all:\n  hosts: [w1]\n', "inv.yml:2:10: hosts of group 'all' must be a mapping");
    refused('all:\n  hosts:\n    w1: 5\n', "inv.yml:3:9: host 'w1' must map to its variables (or nothing)");
    refused('web:\n  children:\n    db: 5\n', "inv.yml:3:9: group 'db' must be a mapping with hosts, vars or children");
  });
  it('deliberately: a group that is not a mapping, and an unknown key in a group (Ansible skips them with a warning)', () => {
    refused('web: [1]\n', "inv.yml:1:6: group 'web' must be a mapping with hosts, vars or children");
    refused('web:\n  hosts:\n    w1:\n  foo: 1\n', "inv.yml:4:3: group 'web' has an unknown key 'foo' (expected hosts, vars or children; host settings go under hosts: NAME:)");
  });
});

describe('files and groups with nothing in them', () => {
  it('an empty file, or one of comments, has no hosts (Ansible warns and goes on with none)', () => {
    for (const text of ['', '# nothing\n', '---\n']) {
      const data = read(text);
      assert.deepEqual([[...data.hosts.keys()], [...data.groups.keys()]], [[], ['all', 'ungrouped']], JSON.stringify(text));
    }
  });
  it('a group with nothing under it is still a group; null hosts, vars and children are none', () => {
    const data = read('web:\ndb:\n  hosts: ~\n  vars: ~\n  children: ~\n');
    assert.deepEqual([...data.groups.keys()], ['all', 'ungrouped', 'web', 'db']);
    assert.deepEqual(data.groups.get('db')!.hosts, []);
    assert.deepEqual(data.groups.get('web')!.location, { file: 'inv.yml', line: 1, col: 1 });
  });
  it('a text value stands for a mapping with that one key', () => {
    const data = read('web:\n  hosts: w1\n  children: db\n');
    assert.deepEqual([data.groups.get('web')!.hosts, data.groups.get('web')!.children], [['w1'], ['db']]);
  });
});

describe('where things are, for errors found later: at the key that names them', () => {
  const text = 'web:\n  vars:\n    x: 1\n  hosts:\n    w1:\n      v: 1\n  children:\n    db:\n      hosts:\n        d1:\n';
  it('a group, a host', () => {
    const data = read(text);
    assert.deepEqual(data.groups.get('web')!.location, { file: 'inv.yml', line: 1, col: 1 });
    assert.deepEqual(data.groups.get('db')!.location, { file: 'inv.yml', line: 8, col: 5 });
    assert.deepEqual(data.hosts.get('w1')!.location, { file: 'inv.yml', line: 5, col: 5 });
    assert.deepEqual(data.hosts.get('d1')!.location, { file: 'inv.yml', line: 10, col: 9 });
  });
  it('a group variable: a bad ansible_group_priority', () => {
    assert.throws(
      () => read('web:\n  vars:\n    x: 1\n    ansible_group_priority: high\n'),
      (e: unknown) => e instanceof InputError && e.format() === "inv.yml:4:5: group 'web': ansible_group_priority must be a whole number, not 'high'",
    );
  });
  // b's children are read before b is added to a: adding b closes the loop, as in Ansible.
  it("a child: the one that closes a loop (Ansible: Adding group 'b' as child to 'a' creates a recursive dependency loop)", () => {
    assert.throws(
      () => read('a:\n  children:\n    b:\n      children:\n        a: {}\n'),
      (e: unknown) => e instanceof InputError && e.format() === "inv.yml:3:5: group 'b' is its own child (b → a → b)",
    );
  });
});

describe('anchors and aliases, as PyYAML resolves them', () => {
  it('a group or a group under children given as an alias of another', () => {
    // ansible-inventory: base {hosts: [h1]}, web {hosts: [h1]}; web and db both {hosts: [h1]}
    const top = read('base: &b\n  hosts:\n    h1:\nweb: *b\n');
    assert.deepEqual([top.groups.get('base')!.hosts, top.groups.get('web')!.hosts], [['h1'], ['h1']]);
    const nested = read('all:\n  children:\n    web: &w\n      hosts:\n        h1:\n    db: *w\n');
    assert.deepEqual([nested.groups.get('web')!.hosts, nested.groups.get('db')!.hosts], [['h1'], ['h1']]);
  });
});
