// include_vars against ansible-playbook 2.14: test/conformance/includevars/, recorded by
// record-includevars.py into expected.json (what each task showed, in order). tend runs
// the same playbook through its engine (local-play.ts); `tend validate`'s check of
// undefined variables knows what include_vars may set.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TaskModule } from '../../src/module.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { undefinedVariableErrors } from '../../src/playbook/variables.ts';
import { playLocally, show } from './local-play.ts';
import { failure } from './playbook-files.ts';

const HERE = join(import.meta.dirname, '../conformance/includevars');
const EXPECTED = JSON.parse(readFileSync(join(HERE, 'expected.json'), 'utf8')) as string[];
const MODULES = new Map([['show', show as TaskModule]]);

function copy(): string {
  const root = mkdtempSync(join(tmpdir(), 'tend-includevars-'));
  cpSync(HERE, root, { recursive: true });
  return root;
}

describe('include_vars, as ansible-playbook 2.14 runs it', () => {
  it('sets the variables for the tasks after it, where Ansible finds the file, above task vars, for the rest of the run', async () => {
    const root = copy();
    const { hosts, sequence } = await playLocally(join(root, 'playbook.yml'), join(root, 'inventory.ini'));
    assert.equal(hosts[0]!.status, 'changed', JSON.stringify(hosts[0]!.tasks.filter((t) => t.error)));
    assert.deepEqual(sequence.get('h1'), EXPECTED);
  });

  it('validate: names a vars file would set are defined, those no file sets are not', () => {
    const root = copy();
    const playbook = loadPlaybook(join(root, 'playbook.yml'), MODULES);
    assert.deepEqual(undefinedVariableErrors(playbook, new Set(['family', 'hv'])), []);
    writeFileSync(join(root, 'playbook.yml'), readFileSync(join(root, 'playbook.yml'), 'utf8').replace('{{ os_pkg }} {{ shared }}', '{{ os_pkg }} {{ nowhere }}'));
    const errors = undefinedVariableErrors(loadPlaybook(join(root, 'playbook.yml'), MODULES), new Set(['family', 'hv']));
    assert.deepEqual(errors.map((e) => e.message), ["undefined variable 'nowhere'"]);
  });

  it('a file that cannot be found fails that task on the host, with where it looked; dir: is refused', async () => {
    const root = copy();
    writeFileSync(join(root, 'inventory.ini'), 'h1 family=Plan9 hv=inventory\n');
    const { hosts } = await playLocally(join(root, 'playbook.yml'), join(root, 'inventory.ini'));
    const failed = hosts[0]!.tasks.find((t) => t.status === 'failed');
    assert.equal(failed?.name, 'a file named by a variable, from vars/');
    assert.match(failed!.error!, /include_vars: could not find Plan9\.yml \(looked in .*\/vars, /);
    writeFileSync(join(root, 'playbook.yml'), '- hosts: all\n  tasks:\n    - include_vars: { dir: vars }\n');
    assert.match(failure(() => loadPlaybook(join(root, 'playbook.yml'), MODULES)), /playbook\.yml:3:7: include_vars: 'dir' is not in tend yet/);
  });
});
