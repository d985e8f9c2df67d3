// Ansible's task forms through the real loader (load.ts → syntax/normalise.ts): what a
// module receives from k=v text, free-form commands, action:, YAML 1.1 scalars and the
// legacy include, and the refusals, each at its place in the file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { modules } from '../../tasks/index.ts';
import { failure, tree } from './playbook-files.ts';

const play = (tasks: string, head = '') => `- hosts: all\n${head}  tasks:\n${tasks}`;
const load = (text: string, files: Record<string, string> = {}) => loadPlaybook(tree({ 'site.yml': text, ...files }), modules).plays[0]!;

describe('Ansible task syntax, normalised', () => {
  it('reads YAML 1.1 booleans in plays and tasks (become: yes)', () => {
    const p = load(play('    - command: uptime\n      become: yes\n      ignore_errors: on\n', '  become: yes\n'));
    assert.equal(p.become, true);
    assert.equal(p.tasks[0]!.become, true);
    assert.equal(p.tasks[0]!.ignoreErrors, true);
  });
  it('free-form command with its options, and args: underneath', () => {
    const p = load(play('    - command: ls -l /tmp creates=/x chdir=/y\n    - command: make install\n      args: { chdir: /src }\n    - ansible.builtin.command:\n        cmd: uptime\n'));
    assert.deepEqual({ ...(p.tasks[0]!.params as object) }, { cmd: 'ls -l /tmp', creates: '/x', chdir: '/y' });
    assert.deepEqual({ ...(p.tasks[1]!.params as object) }, { cmd: 'make install', chdir: '/src' });
    assert.deepEqual({ ...(p.tasks[2]!.params as object) }, { cmd: 'uptime' });
  });
  it('k=v text becomes the booleans and numbers the module wants', () => {
    const p = load(play("    - apt: name=postfix state=present update_cache=yes\n    - group: name=mail gid=1001\n    - action: file path=/etc/motd state=file mode=0644\n"));
    assert.deepEqual({ ...(p.tasks[0]!.params as object) }, { name: 'postfix', state: 'present', update_cache: true });
    assert.deepEqual({ ...(p.tasks[1]!.params as object) }, { name: 'mail', gid: 1001 });
    assert.equal(p.tasks[2]!.module.name, 'file');
    assert.equal((p.tasks[2]!.params as { mode: string }).mode, '0644');
  });
  it('an octal YAML mode keeps its meaning; a decimal one is refused at it', () => {
    const p = load(play('    - file: { path: /etc/motd, state: file, mode: 0640 }\n'));
    assert.equal((p.tasks[0]!.params as { mode: string }).mode, '0640');
    const e = failure(() => load(play('    - file: { path: /etc/motd, state: file, mode: 640 }\n')));
    assert.match(e, /mode: 640 is the decimal number 640 to Ansible \(mode 01200\)/);
  });
  it('the collections keyword is accepted and bare names still resolve', () => {
    const p = load(play('    - sysctl: name=vm.swappiness value=10\n', '  collections: [ansible.posix, community.general]\n'));
    assert.equal(p.tasks[0]!.module.name, 'sysctl');
  });
  it('the legacy include: is import_tasks when static, include_tasks when dynamic', () => {
    const p = load(play('    - include: more.yml\n      tags: [x]\n'), { 'more.yml': '- command: uptime\n' });
    assert.deepEqual(p.tasks.map((t) => [t.module.name, t.tags]), [['command', ['x']]]);
    const dynamic = load(play('    - include: more.yml a=1\n      loop: [1]\n'), { 'more.yml': '[]\n' });
    assert.deepEqual([dynamic.tasks[0]!.module.name, dynamic.tasks[0]!.vars, dynamic.tasks[0]!.loop?.items], ['include_tasks', { a: '1' }, [1]]);
    assert.match(failure(() => load(play('    - include: more.yml a=1\n'), { 'more.yml': '[]\n' })), /with parameters \(a\)/);
  });
  it('refuses what tend cannot run yet, naming the form', () => {
    assert.match(failure(() => load(play('    - raw: echo hi | wc\n'))), /raw: tend has no raw module yet/);
    assert.match(failure(() => load(play('    - local_action: command uptime\n'))), /local_action: command runs on the controller/);
    assert.match(failure(() => load(play('    - command: uptime\n      throttle: 1\n'))), /'throttle' is an Ansible task keyword tend does not support yet/);
    assert.match(failure(() => load(play('    - command: uptime\n      with_cartesian: [[1], [2]]\n'))), /:4:7: 'with_cartesian': tend has no lookup plugin 'cartesian'; it has .*nested/);
    assert.match(failure(() => load(play('    - command: uptime\n      loop: [1]\n      with_items: [2]\n'))), /:5:7: 'loop' and 'with_items': a task has one loop/);
    assert.match(failure(() => load(play("    - file: path=/x hello\n"))), /file takes k=v arguments only/);
  });
});
