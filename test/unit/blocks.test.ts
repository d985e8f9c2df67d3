// Blocks, task vars and import vars against ansible-playbook 2.14:
// test/conformance/blocks/ (playbook.yml, its role and imported file), recorded by
// record-blocks.py into expected.json; tend runs the same playbook through its engine
// (local-play.ts) and every task must show what Ansible's debug showed.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { playLocally, show } from './local-play.ts';
import { failure } from './playbook-files.ts';
import type { TaskModule } from '../../src/module.ts';

const HERE = join(import.meta.dirname, '../conformance/blocks');
const EXPECTED = JSON.parse(readFileSync(join(HERE, 'expected.json'), 'utf8')) as Record<string, string>;

describe('blocks and task vars, as ansible-playbook 2.14 reads them', () => {
  it('every task shows what Ansible showed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tend-blocks-'));
    cpSync(HERE, root, { recursive: true });
    const { hosts, shown } = await playLocally(join(root, 'playbook.yml'), join(root, 'inventory.ini'), { ev: 'extra' });
    assert.equal(hosts[0]!.status, 'changed', JSON.stringify(hosts[0]!.tasks.filter((t) => t.error)));
    assert.deepEqual(Object.fromEntries(shown.get('h1')!), EXPECTED);
    assert.equal(Object.keys(EXPECTED).length, 14);
  });

  const refused = (tasks: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-blocks-bad-'));
    const file = join(dir, 'site.yml');
    writeFileSync(file, `- hosts: all\n  tasks:\n${tasks}`);
    return failure(() => loadPlaybook(file, new Map([['show', show as TaskModule]])));
  };

  it('rescue, always and block keywords tend lacks are refused at their line, with the reason', () => {
    assert.match(refused('    - block:\n        - show: { text: a }\n      rescue:\n        - show: { text: b }\n'), /site\.yml:5:7: block: rescue: runs only when a task of the block failed/);
    assert.match(refused('    - block:\n        - show: { text: a }\n      always:\n        - show: { text: b }\n'), /site\.yml:5:7: block: always: runs whatever/);
    assert.match(refused('    - block:\n        - show: { text: a }\n      delegate_to: x\n'), /site\.yml:5:7: block: 'delegate_to' is not a block keyword tend has/);
    assert.match(refused('    - block: { show: { text: a } }\n'), /site\.yml:3:14: block: a list of tasks/);
    assert.match(refused('    - block:\n        - show: { text: a }\n      become: maybe\n'), /site\.yml:5:15: .*become: expected boolean/);
    assert.match(refused('    - block:\n        - block:\n            - show: { text: a }\n          become: maybe\n'), /site\.yml:6:19: block: become: true or false/);
    assert.match(refused('    - show: { text: a }\n      vars: [a]\n'), /site\.yml:4:13: .*vars: expected record/);
  });

  it("a block's become, become_user, environment, ignore_errors, no_log and tags reach its tasks, under the tasks' own", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-blocks-kw-'));
    const file = join(dir, 'site.yml');
    writeFileSync(
      file,
      `- hosts: all
  tasks:
    - block:
        - name: inherits
          show: { text: a }
        - name: overrides
          show: { text: b }
          become_user: root
          environment: { B: task, C: c }
          ignore_errors: false
          no_log: false
      become: true
      become_user: nobody
      environment: { A: block, B: block }
      ignore_errors: true
      no_log: true
      tags: [blk]
    - name: after
      show: { text: c }
`,
    );
    const [inherits, overrides, after] = loadPlaybook(file, new Map([['show', show as TaskModule]])).plays[0]!.tasks;
    assert.deepEqual(
      [inherits!.become, inherits!.becomeUser, inherits!.environment, inherits!.ignoreErrors, inherits!.noLog, inherits!.tags],
      [true, 'nobody', { A: 'block', B: 'block' }, true, true, ['blk']],
    );
    assert.deepEqual(
      [overrides!.become, overrides!.becomeUser, overrides!.environment, overrides!.ignoreErrors, overrides!.noLog],
      [true, 'root', { A: 'block', B: 'task', C: 'c' }, false, false],
    );
    assert.deepEqual([after!.become, after!.becomeUser, after!.environment, after!.ignoreErrors, after!.noLog, after!.tags], [undefined, undefined, undefined, false, undefined, []]);
    assert.deepEqual([inherits!.number, overrides!.number, after!.number], [1, 2, 3]);
  });

  it("a handler that cannot be read is the error; a notify naming it is not reported again as 'no handler'", () => {
    const message = refused('    - name: t\n      show: { text: a }\n      notify: reload\n  handlers:\n    - name: reload\n      systemd: { daemon_reload: true }\n');
    assert.match(message, /site\.yml:8:7: unknown module 'systemd'/);
    assert.doesNotMatch(message, /no handler of this play/);
  });
});
