// The module registry: bare names, and Ansible's full names (FQCN) for the modules whose
// collection tend implements, as Ansible resolves them.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ModuleRegistry, type TaskModule } from '../../src/module.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { modules } from '../../tasks/index.ts';

describe('the module registry', () => {
  it('finds a builtin module by its bare name, ansible.builtin.NAME and ansible.legacy.NAME', () => {
    for (const name of ['apt', 'ansible.builtin.apt', 'ansible.legacy.apt']) {
      assert.equal(modules.get(name)?.name, 'apt', name);
      assert.equal(modules.has(name), true, name);
    }
    assert.equal(modules.bareName('ansible.builtin.apt_repository'), 'apt_repository');
  });

  it('knows which collection a module is in, and finds it under that collection only', () => {
    assert.equal(modules.collectionOf('sysctl'), 'ansible.posix');
    assert.equal(modules.get('ansible.posix.sysctl')?.name, 'sysctl');
    assert.equal(modules.get('ansible.builtin.sysctl'), undefined);
    assert.equal(modules.get('ansible.legacy.sysctl'), undefined);
    assert.equal(modules.get('community.general.apt'), undefined);
    assert.equal(modules.get('ansible.posix.apt'), undefined);
    assert.equal(modules.has('ansible.builtin.nosuch'), false);
  });

  it("tend's own modules have bare names only", () => {
    assert.equal(modules.collectionOf('postconf'), 'tend');
    assert.equal(modules.get('postconf')?.name, 'postconf');
    assert.equal(modules.get('tend.postconf'), undefined);
    assert.equal(modules.get('ansible.builtin.postconf'), undefined);
  });

  it('lists bare names in name order, whatever the collection', () => {
    const names = [...modules.keys()];
    assert.deepEqual(names, [...names].sort());
    assert.ok(names.every((n) => !n.includes('.')), names.join(' '));
    assert.ok(names.includes('sysctl') && names.includes('apt') && names.includes('postconf'));
  });

  it('refuses two modules of one name', () => {
    const m = { name: 'x' } as TaskModule;
    assert.throws(() => new ModuleRegistry({ 'ansible.builtin': [m], tend: [m] }), /two modules named x/);
  });

  it('a playbook may name a module in full: the task runs that module, its parameters checked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-fqcn-'));
    const file = join(dir, 'site.yml');
    writeFileSync(file, '- hosts: all\n  tasks:\n    - ansible.builtin.command: { cmd: "true" }\n    - ansible.posix.sysctl: { name: vm.swappiness, value: 10 }\n');
    const tasks = loadPlaybook(file, modules).plays[0]!.tasks;
    assert.deepEqual(tasks.map((t) => t.module.name), ['command', 'sysctl']);
    writeFileSync(file, '- hosts: all\n  tasks:\n    - ansible.builtin.command: { cmd: "true", bogus: 1 }\n');
    assert.throws(() => loadPlaybook(file, modules), /bogus/);
    writeFileSync(file, '- hosts: all\n  tasks:\n    - ansible.builtin.sysctl: { name: vm.swappiness, value: 10 }\n');
    assert.throws(() => loadPlaybook(file, modules), /unknown module 'ansible\.builtin\.sysctl'/);
  });
});
