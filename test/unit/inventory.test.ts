import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInventory } from '../../src/inventory/model.ts';
import { parseIniInventory } from '../../src/inventory/ini.ts';
import { parseYamlInventory } from '../../src/inventory/yaml.ts';
import { resolve, selectHosts } from '../../src/inventory/limit.ts';
import { YamlSource } from '../../src/yaml-source.ts';

function yamlInventory(text: string) {
  const parsed = parseYamlInventory(YamlSource.load('inv.yml', text));
  return buildInventory('inv.yml', parsed.groups, parsed.hosts);
}
function iniInventory(text: string) {
  const parsed = parseIniInventory('hosts', text);
  return buildInventory('hosts', parsed.groups, parsed.hosts);
}

const YAML = `
all:
  vars: { user: admin, relay: none }
  hosts:
    lone: { host: 192.0.2.9 }
  children:
    mail:
      vars: { relay: "[smtp.example.net]:587" }
      hosts:
        mx1: { host: 192.0.2.1, port: 2222 }
        mx2: { ansible_host: 192.0.2.2, ansible_user: deploy, ansible_ssh_private_key_file: /k }
      children:
        eu:
          vars: { relay: eu-relay }
          hosts:
            mx2:
`;

describe('YAML inventory (tend and Ansible keys)', () => {
  const inv = yamlInventory(YAML);
  it('reads hosts with their connection settings in either spelling', () => {
    const mx1 = inv.hosts.get('mx1')!;
    assert.deepEqual([mx1.address, mx1.port, mx1.user], ['192.0.2.1', 2222, 'admin']);
    const mx2 = inv.hosts.get('mx2')!;
    assert.deepEqual([mx2.address, mx2.port, mx2.user, mx2.privateKey], ['192.0.2.2', 22, 'deploy', '/k']);
  });
  it('deeper groups override their parents, hosts override groups', () => {
    assert.equal(inv.hosts.get('lone')!.vars.relay, 'none');
    assert.equal(inv.hosts.get('mx1')!.vars.relay, '[smtp.example.net]:587');
    assert.equal(inv.hosts.get('mx2')!.vars.relay, 'eu-relay');
  });
  it('groups include their children’s hosts', () => {
    assert.deepEqual(inv.groups.get('mail')!.sort(), ['mx1', 'mx2']);
    assert.deepEqual(inv.hosts.get('mx2')!.groups.sort(), ['all', 'eu', 'mail']);
    assert.deepEqual(inv.hosts.get('mx2')!.vars.group_names, ['mail', 'eu']);
  });
  it('errors point at the offending key', () => {
    assert.throws(
      () => yamlInventory('all:\n  hosts:\n    a:\n      host: x\n  host:\n    b: {}\n'),
      (e: Error & { format(): string }) => e.format() === "inv.yml:5:3: group 'all' has an unknown key 'host' (expected hosts, vars or children; host settings go under hosts: NAME:)",
    );
    assert.throws(() => yamlInventory('all:\n  hosts:\n    a:\n      port: 70000\n'), /port must be a number from 1 to 65535/);
    assert.throws(() => yamlInventory('a:\n  children:\n    b:\n      children:\n        a: {}\n'), /its own child/);
  });
});

const INI = `
# Ansible INI
lone ansible_host=192.0.2.9

[web]
web[01:03].example.org ansible_user=www
[db]
db1 ansible_host=192.0.2.20 ansible_port=2200 note="a b # not a comment"  # a comment

[db:vars]
relay=[smtp.example.net]:587

[prod:children]
web
db

[prod:vars]
env=production
`;

describe('Ansible INI inventory', () => {
  const inv = iniInventory(INI);
  it('expands ranges and reads host variables', () => {
    assert.deepEqual([...inv.hosts.keys()].sort(), ['db1', 'lone', 'web01.example.org', 'web02.example.org', 'web03.example.org']);
    assert.equal(inv.hosts.get('web02.example.org')!.user, 'www');
    const db1 = inv.hosts.get('db1')!;
    assert.deepEqual([db1.address, db1.port, db1.vars.note], ['192.0.2.20', 2200, 'a b # not a comment']);
  });
  it('applies :vars and :children', () => {
    assert.equal(inv.hosts.get('db1')!.vars.relay, '[smtp.example.net]:587');
    assert.equal(inv.hosts.get('web01.example.org')!.vars.env, 'production');
    assert.equal(inv.hosts.get('lone')!.vars.env, undefined);
    assert.deepEqual(inv.groups.get('prod')!.length, 4);
  });
  it('bad lines say where', () => {
    assert.throws(() => iniInventory('[web\nx\n'), (e: Error & { format(): string }) => e.format().startsWith('hosts:1:1: section header'));
    assert.throws(
      () => iniInventory('[web]\nhost1 ansible_port\n'),
      (e: Error & { format(): string }) => e.format() === "hosts:2:7: expected 'name=value' after host 'host1', found 'ansible_port'",
    );
  });
});

describe('--limit', () => {
  const inv = iniInventory(INI);
  const names = (pattern: string) => resolve(inv, pattern, '--limit');
  it('takes hosts and groups, comma separated', () => {
    assert.deepEqual(names('db,lone'), ['lone', 'db1']);
  });
  it('excludes with ! and intersects with &', () => {
    assert.deepEqual(names('prod,!web'), ['db1']);
    assert.deepEqual(names('prod,&db'), ['db1']);
    assert.deepEqual(names('!prod'), ['lone']);
  });
  it('globs', () => {
    assert.deepEqual(names('web0[12]*'.replace('[12]', '*')), ['web01.example.org', 'web02.example.org', 'web03.example.org']);
  });
  it('an unknown name is an error, never an empty run', () => {
    assert.throws(() => names('dbb'), /--limit 'dbb' is neither a host nor a group/);
  });
  it('narrows the play’s own hosts', () => {
    assert.deepEqual(selectHosts(inv, 'prod', 'web').map((h) => h.name), ['web01.example.org', 'web02.example.org', 'web03.example.org']);
  });
});

describe('variable names an attacker may write', () => {
  it('__proto__ in inventory vars is a plain key: it cannot redirect a host', () => {
    const text = 'all:\n  vars:\n    __proto__:\n      ansible_host: 203.0.113.66\n  hosts:\n    web1:\n      __proto__: { ansible_user: evil, host: 203.0.113.67 }\n';
    const parsed = parseYamlInventory(YamlSource.load('proto.yml', text));
    const host = buildInventory('proto.yml', parsed.groups, parsed.hosts).hosts.get('web1')!;
    assert.deepEqual([host.address, host.user], ['web1', 'root']);
    assert.deepEqual(Object.keys(host.vars['__proto__'] as object), ['ansible_user', 'host']);
  });
  it('__proto__ in an INI host line is a plain key', () => {
    const parsed = parseIniInventory('proto.ini', '[web]\nweb1 __proto__=x\n');
    const host = buildInventory('proto.ini', parsed.groups, parsed.hosts).hosts.get('web1')!;
    assert.equal(host.vars['__proto__'], 'x');
    assert.equal(host.address, 'web1');
  });
});
