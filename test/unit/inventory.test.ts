// Inventories read with Ansible's semantics; test/unit/inventory-conformance.test.ts
// compares whole inventories with what ansible-inventory recorded.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { loadInventory } from '../../src/inventory/index.ts';
import { parseIniInventory } from '../../src/inventory/ini.ts';
import { selectHosts } from '../../src/inventory/limit.ts';
import { buildInventory, connectionWithExtraVars, keyFileProblem } from '../../src/inventory/model.ts';
import { pythonValue } from '../../src/inventory/python-literal.ts';
import { shlexSplit } from '../../src/shlex.ts';
import { parseYamlInventory } from '../../src/inventory/yaml.ts';
import { YamlSource } from '../../src/yaml-source.ts';

const yamlInventory = (text: string) => buildInventory(parseYamlInventory(YamlSource.load('inv.yml', text, { yaml11: true })));
const iniInventory = (text: string) => buildInventory(parseIniInventory('hosts', text));
const formatted = (e: unknown) => (e as { format(): string }).format();

describe('connection settings are ansible_* names only', () => {
  it('application variables named host, port, user or address stay the application’s', () => {
    const inv = iniInventory('[db]\ndb1 ansible_host=192.0.2.20 host=db.internal port=5432 user=postgres address=0.0.0.0\n');
    const db1 = inv.hosts.get('db1')!;
    assert.deepEqual([db1.address, db1.port, db1.user], ['192.0.2.20', 22, userInfo().username]);
    assert.deepEqual([db1.vars.host, db1.vars.port, db1.vars.user, db1.vars.address], ['db.internal', 5432, 'postgres', '0.0.0.0']);
  });
  it('the ssh-specific names win, as in Ansible’s ssh plugin', () => {
    const inv = iniInventory('h ansible_host=a ansible_ssh_host=b ansible_port=1 ansible_ssh_port=2 ansible_user=u ansible_ssh_user=v\n');
    const h = inv.hosts.get('h')!;
    assert.deepEqual([h.address, h.port, h.user], ['b', 2, 'v']);
  });
  it('templates in connection variables are filled in per host', () => {
    const inv = yamlInventory('all:\n  vars:\n    deploy_user: ops\n    ansible_user: "{{ deploy_user }}"\n    ansible_host: "{{ inventory_hostname }}.example.org"\n  hosts:\n    web1:\n');
    const web1 = inv.hosts.get('web1')!;
    assert.deepEqual([web1.address, web1.user], ['web1.example.org', 'ops']);
  });
  it('host:port and [v6]:port set the port', () => {
    const inv = iniInventory('badwolf.example.com:5309\n[v6]\n[2001:db8::1]:2222\n');
    assert.equal(inv.hosts.get('badwolf.example.com')!.port, 5309);
    assert.equal(inv.hosts.get('2001:db8::1')!.port, 2222);
  });
});

describe('hosts tend cannot contact, and -e over connections', () => {
  it('an ansible_connection tend does not have makes that host unreachable, not the inventory invalid', () => {
    const inv = yamlInventory('all:\n  hosts:\n    win:\n      ansible_connection: winrm\n    web:\n');
    assert.equal(inv.hosts.get('win')!.unreachable, "ansible_connection 'winrm' is not one tend has (ssh, local, docker, podman, exec)");
    assert.equal(inv.hosts.get('web')!.unreachable, undefined);
  });
  it('a key file that cannot be read is that host’s problem, found only when asked', () => {
    const inv = yamlInventory('all:\n  hosts:\n    aws:\n      ansible_ssh_private_key_file: /nonexistent/aws.pem\n    web:\n');
    assert.equal(keyFileProblem(inv.hosts.get('aws')!), 'private key /nonexistent/aws.pem cannot be read (ENOENT)');
    assert.equal(keyFileProblem(inv.hosts.get('web')!), undefined);
  });
  it('-e connection variables win over the inventory, as extra variables do in Ansible; the host keeps its own variables', () => {
    const inv = yamlInventory('all:\n  vars:\n    ansible_user: deploy\n  hosts:\n    web:\n      ansible_host: 10.0.0.1\n      ansible_ssh_user: admin\n      ansible_connection: winrm\n');
    const web = inv.hosts.get('web')!;
    const over = connectionWithExtraVars(web, { ansible_user: 'root', ansible_port: '2222', ansible_connection: 'ssh', ansible_host: '{{ inventory_hostname }}.example.org' });
    // ansible_ssh_user is the ssh plugin's own name: -e ansible_user does not beat it, in Ansible either.
    assert.deepEqual([over.address, over.port, over.user, over.connection, over.unreachable], ['web.example.org', 2222, 'admin', 'ssh', undefined]);
    assert.equal(connectionWithExtraVars(web, { ansible_ssh_user: 'root' }).user, 'root');
    assert.equal(over.vars, web.vars);
    assert.equal(connectionWithExtraVars(web, {}), web);
  });
});

describe('groups: all, ungrouped, children, precedence', () => {
  it('hosts under all or before any section are ungrouped, unless a group lists them too', () => {
    const ini = iniInventory('a\nb\n[web]\nb\n');
    assert.deepEqual(ini.groups.get('ungrouped'), ['a']);
    const yaml = yamlInventory('all:\n  hosts:\n    x:\n  children:\n    web:\n      hosts:\n        y:\n');
    assert.deepEqual(yaml.groups.get('ungrouped'), ['x']);
  });
  it('deeper groups win, then ansible_group_priority, then the name in code-point order', () => {
    const inv = iniInventory('[a]\nh\n[B]\nh\n[a:vars]\nv=a\n[B:vars]\nv=B\n');
    assert.equal(inv.hosts.get('h')!.vars.v, 'a'); // 'B' < 'a': a is merged later
    const prio = iniInventory('[a]\nh\n[b]\nh\n[a:vars]\nv=a\nansible_group_priority=10\n[b:vars]\nv=b\n');
    assert.equal(prio.hosts.get('h')!.vars.v, 'a');
    const deep = iniInventory('[parent:children]\nchild\n[child]\nh\n[parent:vars]\nv=parent\n[child:vars]\nv=child\n[zzz]\nh\n[zzz:vars]\nv=zzz\n');
    assert.equal(deep.hosts.get('h')!.vars.v, 'child');
  });
  it('[x:children] naming a group never defined is an error where it is named', () => {
    assert.throws(() => iniInventory('[prod:children]\nweb\n'), (e) => formatted(e) === "hosts:2:1: section [prod:children] names group 'web', which is not defined");
    assert.throws(() => iniInventory('[web:vars]\na=1\n'), (e) => formatted(e) === 'hosts:1:1: section [web:vars] is for a group that is not defined');
    assert.equal(iniInventory('[prod:children]\nweb\n[web]\nw1\n').groups.get('prod')!.join(), 'w1');
  });
  it('a group that is its own ancestor is an error', () => {
    assert.throws(() => yamlInventory('a:\n  children:\n    b:\n      children:\n        a: {}\n'), /its own child/);
  });
});

describe('values, as Ansible’s readers give them', () => {
  it('INI values are Python literals when they parse as one', () => {
    const cases: [string, unknown][] = [
      ['42', 42],
      ['010', '010'],
      ['0x1F', 31],
      ['1_000', 1000],
      ['-3.5', -3.5],
      ['True', true],
      ['None', null],
      ["'it''s'", 'its'],
      ['"a\\tb"', 'a\tb'],
      ['[1, "two"]', [1, 'two']],
      ["{'a': 1}", { a: 1 }],
      ['yes', 'yes'],
      ['a b', 'a b'],
      ['1 # trailing comment', 1],
    ];
    for (const [text, value] of cases) assert.deepEqual(JSON.parse(JSON.stringify(pythonValue(text))), value, text);
  });
  it('host lines split like a shell, # starting a comment outside quotes', () => {
    assert.deepEqual(shlexSplit(`h a="'03#pa33w0rd'" b='x y' c=d#comment`), ['h', "a='03#pa33w0rd'", 'b=x y', 'c=d']);
    const inv = iniInventory(`h password="'03#pa33w0rd'"\n`);
    assert.equal(inv.hosts.get('h')!.vars.password, '03#pa33w0rd');
  });
  it('YAML inventories read YAML 1.1 scalars', () => {
    const inv = yamlInventory('all:\n  hosts:\n    h:\n      a: yes\n      b: off\n      c: 0644\n      d: 1_000\n      e: 1:30\n      f: "yes"\n');
    assert.deepEqual(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => inv.hosts.get('h')!.vars[k]),
      [true, false, 420, 1000, 90, 'yes'],
    );
  });
  it('y and n are text, as PyYAML reads them (YAML 1.1 itself would make them booleans)', () => {
    const inv = yamlInventory('all:\n  hosts:\n    y:\n      a: n\n      b: Y\n      c: on\n');
    assert.deepEqual([...inv.hosts.keys()], ['y']);
    assert.deepEqual(['a', 'b', 'c'].map((k) => inv.hosts.get('y')!.vars[k]), ['n', 'Y', true]);
  });
  it('a host or group name YAML reads as a number, boolean, null or date is refused, as Ansible refuses it, at the name', () => {
    const cases: [string, string][] = [
      ['all:\n  hosts:\n    web1:\n    1234:\n', 'inv.yml:4:5: Host pattern 1234 must be a string. Enclose integers/floats in quotation marks.'],
      ['all:\n  hosts:\n    1.5:\n', 'inv.yml:3:5: Host pattern 1.5 must be a string. Enclose integers/floats in quotation marks.'],
      ['all:\n  children:\n    web:\n      hosts:\n        yes:\n', 'inv.yml:5:9: Host pattern True must be a string. Enclose integers/floats in quotation marks.'],
      ['all:\n  hosts:\n    ~:\n', 'inv.yml:3:5: Host pattern None must be a string. Enclose integers/floats in quotation marks.'],
      ['all:\n  hosts:\n    2024-01-01:\n', 'inv.yml:3:5: Host pattern 2024-01-01 must be a string. Enclose integers/floats in quotation marks.'],
      ['all:\n  children:\n    2024:\n', "inv.yml:3:5: Unable to add group 2024: Invalid group name supplied, expected a string but got <class 'int'> for 2024"],
      ['false:\n  hosts:\n    a:\n', 'inv.yml:1:1: Unable to add group False: Invalid empty/false group name provided: False'],
      ['yes:\n  hosts:\n    a:\n', "inv.yml:1:1: Unable to add group True: Invalid group name supplied, expected a string but got <class 'bool'> for True"],
    ];
    for (const [text, message] of cases) assert.throws(() => yamlInventory(text), (e: unknown) => e instanceof InputError && e.format() === message, text);
    // Quoted, they are names; a variable's name may be a number (Ansible makes it text).
    const quoted = yamlInventory("all:\n  hosts:\n    '1234':\n      1: one\n    'yes':\n");
    assert.deepEqual([...quoted.hosts.keys()], ['1234', 'yes']);
    assert.equal(quoted.hosts.get('1234')!.vars['1'], 'one');
  });
  it('ranges: step, leading zeros, letters, several in one name, in INI and YAML', () => {
    assert.deepEqual([...iniInventory('web[01:07:3].lab\n').hosts.keys()], ['web01.lab', 'web04.lab', 'web07.lab']);
    assert.deepEqual([...yamlInventory('all:\n  hosts:\n    db-[a:c]-[1:2]:\n').hosts.keys()], ['db-a-1', 'db-a-2', 'db-b-1', 'db-b-2', 'db-c-1', 'db-c-2']);
    assert.throws(() => iniInventory('web[01:7]\n'), /same width/);
  });
  it('__proto__ is a plain key: it cannot redirect a host', () => {
    const inv = yamlInventory('all:\n  vars:\n    __proto__:\n      ansible_host: 203.0.113.66\n  hosts:\n    web1:\n      __proto__: { ansible_user: evil, ansible_host: 203.0.113.67 }\n');
    const host = inv.hosts.get('web1')!;
    assert.equal(host.address, 'web1');
    assert.notEqual(host.user, 'evil');
    assert.equal(iniInventory('[web]\nweb1 __proto__=x\n').hosts.get('web1')!.vars['__proto__'], 'x');
  });
});

describe('host patterns', () => {
  const inv = iniInventory('lone\n[web]\nweb[1:4]\n[db]\ndb1\ndb2\n[prod:children]\nweb\ndb\n');
  const names = (pattern: string, limit?: string) => selectHosts(inv, limit, pattern, () => {}).map((h) => h.name);
  it('unions, intersections and exclusions, with , or :', () => {
    assert.deepEqual(names('db,lone'), ['db1', 'db2', 'lone']);
    assert.deepEqual(names('prod:!web'), ['db1', 'db2']);
    assert.deepEqual(names('prod:&db'), ['db1', 'db2']);
    assert.deepEqual(names('!prod'), ['lone']);
  });
  it('globs, regular expressions and subscripts', () => {
    assert.deepEqual(names('web[13]*'), ['web1', 'web3']);
    assert.deepEqual(names('web[13]'), []); // a subscript past the end, as in Ansible
    assert.deepEqual(names('~web[2-3]'), ['web2', 'web3']);
    assert.deepEqual(names('web[0]'), ['web1']);
    assert.deepEqual(names('web[-1]'), ['web4']);
    assert.deepEqual(names('web[1:2]'), ['web2', 'web3']);
    assert.deepEqual(names('web[2:]'), ['web3', 'web4']);
  });
  it('an unknown name in a union is skipped with a warning', () => {
    const warnings: string[] = [];
    assert.deepEqual(selectHosts(inv, 'db,nosuch', 'all', (w) => warnings.push(w)).map((h) => h.name), ['db1', 'db2']);
    assert.match(warnings.join(), /'nosuch' matches no host or group/);
  });
  it('--limit narrows the play’s hosts; localhost is this machine when not in the inventory', () => {
    assert.deepEqual(names('prod', 'web*'), ['web1', 'web2', 'web3', 'web4']);
    const local = selectHosts(inv, undefined, 'localhost', () => {});
    assert.deepEqual([local[0]!.name, local[0]!.connection], ['localhost', 'local']);
  });
});

describe('globs with a negated set, [!…]', () => {
  const inv = iniInventory('[web]\nweb1\nweb2\nweb3\nwebx\n');
  const names = (pattern: string) => selectHosts(inv, undefined, pattern, () => {}).map((h) => h.name);
  it('[!seq] matches one character not in the set, as fnmatch does', () => {
    assert.deepEqual(names('web[!12]'), ['web3', 'webx']);
    assert.deepEqual(names('web[!0-9]'), ['webx']);
    assert.deepEqual(names('web[12]*'), ['web1', 'web2']);
    assert.deepEqual(names('web[!12]:&web[!x]'), ['web3']);
  });
});

describe('group_vars/ and host_vars/ beside the inventory, in Ansible’s order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-varsdirs-'));
  writeFileSync(join(dir, 'hosts'), '[web]\nw1 v=file-host h=file-host\nw2\n[web:vars]\nv=file-group\ng=file-group\nd=file-group\n');
  mkdirSync(join(dir, 'host_vars'));
  mkdirSync(join(dir, 'group_vars'));
  writeFileSync(join(dir, 'host_vars', 'w1.yml'), 'v: dir-host\n');
  writeFileSync(join(dir, 'group_vars', 'web.yml'), 'd: dir-group\nh: dir-group\n');
  writeFileSync(join(dir, 'group_vars', 'all.yml'), 'g: dir-all\n');
  it('host_vars/HOST beats the file’s host variables, which beat group_vars/GROUP, which beats the file’s group variables', () => {
    const inv = loadInventory(join(dir, 'hosts'));
    const w1 = inv.hosts.get('w1')!.vars;
    assert.deepEqual([w1.v, w1.h, w1.d, w1.g], ['dir-host', 'file-host', 'dir-group', 'dir-all']);
    const w2 = inv.hosts.get('w2')!.vars;
    assert.deepEqual([w2.v, w2.h, w2.d], ['file-group', 'dir-group', 'dir-group']);
  });
});
