// pre_tasks, roles, tasks and post_tasks, the handlers flushed after each, and
// vars_files, against ansible-playbook 2.14: test/conformance/sections/, recorded by
// record-sections.py into expected.json (what each task showed, in the order it ran).
// tend runs the same playbook through its engine (local-play.ts).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TaskModule } from '../../src/module.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { playLocally, show } from './local-play.ts';
import { failure } from './playbook-files.ts';

const HERE = join(import.meta.dirname, '../conformance/sections');
const EXPECTED = JSON.parse(readFileSync(join(HERE, 'expected.json'), 'utf8')) as string[];

function copy(): string {
  const root = mkdtempSync(join(tmpdir(), 'tend-sections-'));
  cpSync(HERE, root, { recursive: true });
  return root;
}

describe('play sections, as ansible-playbook 2.14 runs them', () => {
  it('runs pre_tasks, roles, tasks and post_tasks in order, each followed by the handlers notified so far', async () => {
    const root = copy();
    const { hosts, sequence } = await playLocally(join(root, 'playbook.yml'), join(root, 'inventory.ini'));
    assert.equal(hosts[0]!.status, 'changed', JSON.stringify(hosts[0]!.tasks.filter((t) => t.error)));
    assert.deepEqual(sequence.get('h1'), EXPECTED);
  });

  it('a failure in pre_tasks lists every later task as skipped and runs no handler', async () => {
    const root = copy();
    const text = readFileSync(join(root, 'playbook.yml'), 'utf8').replace('notify: h1\n  roles:', 'notify: h1\n    - name: breaks\n      show: { text: "{{ nope }}" }\n  roles:');
    writeFileSync(join(root, 'playbook.yml'), text);
    const { hosts } = await playLocally(join(root, 'playbook.yml'), join(root, 'inventory.ini'));
    assert.deepEqual(
      hosts[0]!.tasks.map((t) => `${t.name}:${t.status}`),
      ['pre:changed', 'breaks:failed', 'role task:skipped', 'task:skipped', 'post:skipped'],
    );
  });

  it('vars_files: a missing file, and a templated name, are refused at their place', () => {
    const root = copy();
    const text = readFileSync(join(root, 'playbook.yml'), 'utf8');
    writeFileSync(join(root, 'playbook.yml'), text.replace('    - vars/common.yml\n', '    - vars/nowhere.yml\n'));
    assert.match(failure(() => loadPlaybook(join(root, 'playbook.yml'), new Map([['show', show as TaskModule]]))), /playbook\.yml:11:7: vars_files: vars\/nowhere\.yml: no such file/);
    writeFileSync(join(root, 'playbook.yml'), text.replace('    - vars/common.yml\n', '    - "vars/{{ env }}.yml"\n'));
    assert.match(failure(() => loadPlaybook(join(root, 'playbook.yml'), new Map([['show', show as TaskModule]]))), /vars_files: vars\/\{\{ env \}\}\.yml: a file name with a template is not in tend yet/);
  });
});
