// What an inventory's variables make of each host (src/inventory/model.ts): the port, the
// connection type by every name Ansible gives it, the exec prefix, bastions from
// ansible_ssh_common_args, which settings were explicit, group_names, and the errors,
// each naming the host and the inventory line.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { parseIniInventory } from '../../src/inventory/ini.ts';
import { jumpFromSshArgs, parseJumpSpec } from '../../src/inventory/jump-spec.ts';
import { buildInventory, CONNECTION_VARIABLES, keyFileProblem, type Host } from '../../src/inventory/model.ts';
import { parseYamlInventory } from '../../src/inventory/yaml.ts';
import { YamlSource } from '../../src/yaml-source.ts';

const ini = (text: string) => buildInventory(parseIniInventory('hosts', text));
const yaml = (text: string) => buildInventory(parseYamlInventory(YamlSource.load('inv.yml', text, { yaml11: true })));
const host = (line: string): Host => ini(`${line}\n`).hosts.values().next().value!;
const refused = (text: string, message: string) =>
  assert.throws(
    () => ini(text),
    (e: unknown) => e instanceof InputError && e.message === message && e.location?.file === 'hosts' && e.location.line === 1,
    message,
  );

describe('the port', () => {
  it('22 unless given; a number from 1 to 65535, as a number or as text', () => {
    assert.equal(host('h').port, 22);
    assert.equal(host('h ansible_port=1').port, 1);
    assert.equal(host('h ansible_port=65535').port, 65535);
    assert.equal(host("h ansible_port='2222'").port, 2222);
  });
  it('0, 65536, a fraction or a word are refused at the host', () => {
    refused('h ansible_port=0', "host 'h': port must be a number from 1 to 65535, not '0'");
    refused('h ansible_port=65536', "host 'h': port must be a number from 1 to 65535, not '65536'");
    refused('h ansible_port=22.5', "host 'h': port must be a number from 1 to 65535, not '22.5'");
    refused('h ansible_port=ssh', "host 'h': port must be a number from 1 to 65535, not 'ssh'");
  });
  it('explicit says which of user and port the inventory gave (ssh config fills in the rest)', () => {
    assert.deepEqual(host('h').explicit, { user: false, port: false });
    assert.deepEqual(host('h ansible_user=u').explicit, { user: true, port: false });
    assert.deepEqual(host('h ansible_ssh_port=2').explicit, { user: false, port: true });
    assert.equal(host('h').user, userInfo().username);
  });
});

describe('the connection type, by the names Ansible gives it', () => {
  it('each alias maps to its type; none means ssh', () => {
    const expected: Record<string, string> = {
      ssh: 'ssh', smart: 'ssh', paramiko: 'ssh', 'ansible.builtin.ssh': 'ssh', local: 'local', 'ansible.builtin.local': 'local',
      docker: 'docker', 'community.docker.docker': 'docker', podman: 'podman', 'containers.podman.podman': 'podman',
    };
    for (const [name, type] of Object.entries(expected)) {
      const h = host(`h ansible_connection=${name}`);
      assert.deepEqual([h.connection, h.unreachable], [type, undefined], name);
    }
    assert.equal(host('h').connection, 'ssh');
  });
  it('one tend does not have: ssh in form, unreachable with the reason', () => {
    const h = host('h ansible_connection=winrm');
    assert.deepEqual([h.connection, h.unreachable], ['ssh', "ansible_connection 'winrm' is not one tend has (ssh, local, docker, podman, exec)"]);
  });
  it('exec: tend_exec as a list or as shell words; without it, an error at the host', () => {
    assert.deepEqual(yaml('all:\n  hosts:\n    p:\n      ansible_connection: exec\n      tend_exec: [kubectl, exec, -i, pod, --]\n').hosts.get('p')!.exec, ['kubectl', 'exec', '-i', 'pod', '--']);
    assert.deepEqual(yaml('all:\n  hosts:\n    p:\n      ansible_connection: exec\n      tend_exec: [1, x]\n').hosts.get('p')!.exec, ['1', 'x']);
    assert.deepEqual(host(`h ansible_connection=exec tend_exec="lxc exec 'my box' --"`).exec, ['lxc', 'exec', 'my box', '--']);
    assert.equal(host('h').exec, undefined);
    assert.equal(host('h tend_exec=x').exec, undefined, 'only for the exec connection');
    const message = "host 'h': ansible_connection exec needs tend_exec, the command that runs a program inside the host (e.g. [kubectl, exec, -i, POD, --])";
    refused('h ansible_connection=exec', message);
    refused('h ansible_connection=exec tend_exec=[]', message);
    refused("h ansible_connection=exec tend_exec=''", message);
    refused('h ansible_connection=exec tend_exec=5', message);
  });
});

describe('settings from variables', () => {
  it('the last name of each list wins; null or missing ones are skipped', () => {
    const h = yaml('all:\n  hosts:\n    h:\n      ansible_host: a\n      ansible_ssh_host: ~\n      ansible_private_key_file: k1\n      ansible_ssh_private_key_file: k2\n');
    assert.deepEqual([h.hosts.get('h')!.address, h.hosts.get('h')!.privateKey], ['a', 'k2']);
    assert.equal(host('h').privateKey, undefined);
    assert.equal('privateKey' in host('h'), false);
    assert.deepEqual(CONNECTION_VARIABLES, ['ansible_host', 'ansible_ssh_host', 'ansible_port', 'ansible_ssh_port', 'ansible_user', 'ansible_ssh_user', 'ansible_private_key_file', 'ansible_ssh_private_key_file', 'ansible_connection']);
  });
  it('numbers are made text where text is meant', () => {
    const h = host('h ansible_host=10 ansible_user=0');
    assert.deepEqual([h.address, h.user], ['10', '0']);
  });
  it('a template that cannot be rendered is an error naming the host and the variable', () => {
    assert.throws(
      () => ini('h ansible_host="{{ nosuch }}"\n'),
      (e: unknown) => e instanceof InputError && /^host 'h': ansible_host: .*nosuch/.test(e.message) && e.location?.line === 1,
    );
  });
  it('group_names: the groups, all left out, sorted; groups: all first', () => {
    const inv = ini('[zeta]\nh\n[Alpha]\nh\n[mid:children]\nzeta\n');
    const h = inv.hosts.get('h')!;
    assert.deepEqual(h.vars.group_names, ['Alpha', 'mid', 'zeta']);
    assert.deepEqual(h.groups, ['all', 'Alpha', 'mid', 'zeta']);
    assert.equal(h.vars.inventory_hostname, 'h');
    assert.deepEqual(ini('h\n').hosts.get('h')!.vars.group_names, ['ungrouped']);
    assert.deepEqual(h.location, { file: 'hosts', line: 2, col: 1 });
  });
  // Both as ansible-core 2.14 has them for the same inventory (ansible-inventory --host, debug var=group_names).
  it('group_vars/all sits between the file’s group variables and group_vars/GROUP', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-model-'));
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'hosts'), '[all:vars]\na=file-all\nb=file-all\nc=file-all\n[web]\nw1\n[web:vars]\nb=file-web\n');
    writeFileSync(join(dir, 'group_vars', 'all.yml'), 'a: dir-all\nb: dir-all\nc: dir-all\n');
    writeFileSync(join(dir, 'group_vars', 'web.yml'), 'c: dir-web\n');
    return import('../../src/inventory/index.ts').then(({ loadInventory }) => {
      const v = loadInventory(join(dir, 'hosts')).hosts.get('w1')!.vars;
      assert.deepEqual([v.a, v.b, v.c], ['dir-all', 'dir-all', 'dir-web']);
    });
  });
});

describe('bastions from ansible_ssh_common_args', () => {
  it('-J spec, -Jspec, -o ProxyJump=spec, -oProxyJump spec in quotes: hops with users and ports', () => {
    assert.equal(jumpFromSshArgs('-J b1'), 'b1');
    assert.equal(jumpFromSshArgs('-v -Jb1,b2'), 'b1,b2');
    assert.equal(jumpFromSshArgs('-o ProxyJump=u@b1:2222'), 'u@b1:2222');
    assert.equal(jumpFromSshArgs("-o 'ProxyJump=b1'"), 'b1');
    assert.equal(jumpFromSshArgs('-oproxyjump=b1'), 'b1');
    assert.equal(jumpFromSshArgs('-o StrictHostKeyChecking=no'), undefined);
    assert.equal(jumpFromSshArgs('-o'), undefined);
    assert.equal(jumpFromSshArgs('  '), undefined);
    assert.deepEqual(parseJumpSpec('u@b1:2222, b2 ,[2001:db8::1]:22,v@[::1]'), [
      { user: 'u', address: 'b1', port: 2222 },
      { address: 'b2', port: 22 },
      { address: '2001:db8::1', port: 22 },
      { user: 'v', address: '::1', port: 22 },
    ]);
    assert.throws(() => parseJumpSpec('a b', 'ProxyJump'), (e: unknown) => e instanceof InputError && e.message === "ProxyJump 'a b': 'a b' is not [user@]host[:port]");
    assert.throws(() => parseJumpSpec('b1:x', 'Here'), (e: unknown) => e instanceof InputError && e.message === "Here 'b1:x': 'b1:x' is not [user@]host[:port]");
  });
  it('in an inventory: the host gets the hops; a bad spec is an error at the host', () => {
    const h = host(`h ansible_ssh_common_args='-o ProxyJump=ops@bastion:2200'`);
    assert.deepEqual(h.jump, [{ user: 'ops', address: 'bastion', port: 2200 }]);
    assert.equal(host('h').jump, undefined);
    assert.equal(host(`h ansible_ssh_common_args='-C'`).jump, undefined);
    assert.deepEqual(host(`h ansible_ssh_extra_args='-J b9'`).jump, [{ address: 'b9', port: 22 }]);
    refused(`h ansible_ssh_common_args='-J a@@b'`, "host 'h': ProxyJump 'a@@b': 'a@@b' is not [user@]host[:port]");
  });
});

describe('a private key that cannot be read', () => {
  it('missing, a directory, or fine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-keys-'));
    writeFileSync(join(dir, 'id'), 'key');
    assert.equal(keyFileProblem(host(`h ansible_private_key_file=${join(dir, 'id')}`)), undefined);
    assert.equal(keyFileProblem(host(`h ansible_private_key_file=${dir}`)), `private key ${dir} cannot be read (EISDIR)`);
    assert.equal(keyFileProblem(host(`h ansible_private_key_file=${join(dir, 'none')}`)), `private key ${join(dir, 'none')} cannot be read (ENOENT)`);
    assert.equal(keyFileProblem(host('h')), undefined);
  });
});
