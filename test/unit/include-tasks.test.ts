// include_tasks against ansible-playbook 2.14: test/conformance/include/ (a playbook, its
// task files and a role), recorded by record-include.py into expected.json: what each
// task showed, in the order it ran. tend runs the same playbook through its engine
// (local-play.ts): the included tasks must run where Ansible ran them, with the same
// variables.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import type { TaskModule } from '../../src/module.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { playLocally, show } from './local-play.ts';
import { failure } from './playbook-files.ts';

const HERE = join(import.meta.dirname, '../conformance/include');
const EXPECTED = JSON.parse(readFileSync(join(HERE, 'expected.json'), 'utf8')) as string[];

function copy(): string {
  const root = mkdtempSync(join(tmpdir(), 'tend-include-'));
  cpSync(HERE, root, { recursive: true });
  return root;
}

describe('include_tasks, as ansible-playbook 2.14 runs it', () => {
  it('runs the included tasks where Ansible ran them, with the same variables', async () => {
    const root = copy();
    const { hosts, sequence } = await playLocally(join(root, 'playbook.yml'), join(root, 'inventory.ini'));
    assert.equal(hosts[0]!.status, 'changed', JSON.stringify(hosts[0]!.tasks.filter((t) => t.error)));
    assert.deepEqual(sequence.get('h1'), EXPECTED);
  });

  it('reads a file without a template with the playbook: its mistakes are found before any host', () => {
    const root = copy();
    writeFileSync(join(root, 'nested.yml'), '- name: nested task\n  show: { text: "{{ unclosed" }\n');
    assert.match(failure(() => loadPlaybook(join(root, 'playbook.yml'), new Map([['show', show as TaskModule]]))), /nested\.yml:2:9: .*unclosed|nested\.yml:2:\d+: /);
    writeFileSync(join(root, 'plain.yml'), '- include_tasks: missing.yml\n');
    assert.match(failure(() => loadPlaybook(join(root, 'playbook.yml'), new Map([['show', show as TaskModule]]))), /plain\.yml:1:18: include_tasks: .*missing\.yml does not exist/);
  });

  it('a templated file that does not exist fails that include on the host, with the reason', async () => {
    const root = copy();
    writeFileSync(join(root, 'inventory.ini'), 'h1 os=plan9\n');
    const { hosts } = await playLocally(join(root, 'playbook.yml'), join(root, 'inventory.ini'));
    const failed = hosts[0]!.tasks.find((t) => t.status === 'failed');
    assert.equal(failed?.name, 'a file named by a variable');
    assert.match(failed!.error!, /include_tasks: .*setup-plan9\.yml does not exist/);
    assert.equal(hosts[0]!.status, 'failed');
  });

  it('an include that includes itself is refused, read now or on the host', async () => {
    const root = copy();
    writeFileSync(join(root, 'nested.yml'), '- include_tasks: plain.yml\n');
    assert.match(failure(() => loadPlaybook(join(root, 'playbook.yml'), new Map([['show', show as TaskModule]]))), /include_tasks: plain\.yml includes itself/);
  });

  it("finds a role's task file where Ansible does: include_tasks: tasks/restart.yml in its handlers is the role's tasks/restart.yml", () => {
    const root = mkdtempSync(join(tmpdir(), 'tend-include-role-'));
    const files: Record<string, string> = {
      'site.yml': '- hosts: all\n  roles: [web]\n',
      'roles/web/tasks/main.yml': '- name: touch\n  show: { text: a }\n  notify: restart web\n',
      'roles/web/handlers/main.yml': '- name: restart web\n  include_tasks: tasks/restart.yml\n',
      'roles/web/tasks/restart.yml': '- name: restarting\n  show: { text: restart }\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const play = loadPlaybook(join(root, 'site.yml'), new Map([['show', show as TaskModule]])).plays[0]!;
    assert.deepEqual(play.handlers[0]!.include?.tasks?.map((t) => t.name), ['restarting']);
  });

  it('a role of only defaults is a role, as in Ansible; an empty role directory is refused', () => {
    const root = mkdtempSync(join(tmpdir(), 'tend-role-defaults-'));
    mkdirSync(join(root, 'roles/only/defaults'), { recursive: true });
    mkdirSync(join(root, 'roles/empty'), { recursive: true });
    writeFileSync(join(root, 'roles/only/defaults/main.yml'), 'x: 1\n');
    writeFileSync(join(root, 'site.yml'), '- hosts: all\n  roles: [only]\n');
    assert.equal(loadPlaybook(join(root, 'site.yml'), new Map([['show', show as TaskModule]])).plays[0]!.tasks.length, 0);
    writeFileSync(join(root, 'site.yml'), '- hosts: all\n  roles: [empty]\n');
    assert.match(failure(() => loadPlaybook(join(root, 'site.yml'), new Map([['show', show as TaskModule]]))), /role 'empty': .* has none of tasks\/, handlers\/, defaults\/, vars\/, meta\/ main\.yml/);
  });
});
