// What an inventory makes of each host (src/inventory/model.ts), at the edges the other
// inventory tests leave: group_vars/ of several groups in Ansible's order (checked against
// ansible-core 2.14.18's `ansible-inventory -i hosts --host h1`), and connection settings
// given as templates or as values that are not text.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadInventory } from '../../src/inventory/index.ts';
import { parseIniInventory } from '../../src/inventory/ini.ts';
import { buildInventory } from '../../src/inventory/model.ts';
import { parseYamlInventory } from '../../src/inventory/yaml.ts';
import { YamlSource } from '../../src/yaml-source.ts';

const yaml = (text: string) => buildInventory(parseYamlInventory(YamlSource.load('inv.yml', text, { yaml11: true })));

describe('group_vars/ of several groups', () => {
  it('merged as the file’s groups are: by depth, then name; group_vars/all first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-model-order-'));
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'hosts'), '[parent:children]\nchild\n[child]\nh1\n[b]\nh1\n[a]\nh1\n');
    writeFileSync(join(dir, 'group_vars', 'parent.yml'), 'x: parent\ny: parent\nz: parent\n');
    writeFileSync(join(dir, 'group_vars', 'child.yml'), 'x: child\n');
    writeFileSync(join(dir, 'group_vars', 'a.yml'), 'y: a\nz: a\n');
    writeFileSync(join(dir, 'group_vars', 'b.yml'), 'y: b\n');
    writeFileSync(join(dir, 'group_vars', 'all.yml'), 'z: all\nw: all\n');
    const { inventory_hostname: _n, group_names, ...vars } = loadInventory(join(dir, 'hosts')).hosts.get('h1')!.vars;
    // ansible-inventory --host h1: {w: all, x: child, y: parent, z: parent}
    assert.deepEqual({ ...vars }, { w: 'all', x: 'child', y: 'parent', z: 'parent' });
    assert.deepEqual(group_names, ['a', 'b', 'child', 'parent']);
  });
});

describe('connection settings as templates and as other values', () => {
  it('a templated port, user and connection are rendered with the host’s variables', () => {
    const inv = yaml('all:\n  vars:\n    p: 2222\n    c: local\n  hosts:\n    h:\n      ansible_port: "{{ p }}"\n      ansible_connection: "{{ c }}"\n      ansible_ssh_private_key_file: "/k/{{ inventory_hostname }}"\n');
    const h = inv.hosts.get('h')!;
    assert.deepEqual([h.port, h.connection, h.privateKey, h.explicit], [2222, 'local', '/k/h', { user: false, port: true }]);
  });
  it('a key file named by a number is that name; ansible_ssh_common_args that are not text name no bastion', () => {
    const h = yaml('all:\n  hosts:\n    h:\n      ansible_private_key_file: 5\n      ansible_ssh_common_args: [-J, b1]\n').hosts.get('h')!;
    assert.equal(h.privateKey, '5');
    assert.equal(h.jump, undefined);
    assert.equal('jump' in h, false);
    assert.equal('unreachable' in h, false);
    assert.equal('exec' in h, false);
  });
  it('a host without a location has no location key', () => {
    const data = parseIniInventory('hosts', '[web]\nw1\n');
    data.addHost('later');
    const inv = buildInventory(data);
    assert.equal('location' in inv.hosts.get('later')!, false);
    assert.deepEqual(inv.hosts.get('w1')!.location, { file: 'hosts', line: 2, col: 1 });
  });
});
