// import_tasks and roles, read with the playbook: tasks in place and numbered on, tags
// and conditions inherited, variables by scope, and every complaint located in the file
// it is about.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { undefinedVariableErrors } from '../../src/playbook/variables.ts';
import { modules } from '../../tasks/index.ts';
import { failure, tree } from './playbook-files.ts';

/** A template's content, read when the playbook was, rendered for one host. */
const renderedContent = (params: unknown) =>
  (params as { content: { renderForHost(lookup: (name: string) => unknown): string } }).content.renderForHost(
    (name) => ({ kernel_key: 'vm.swappiness', swappiness: 10 })[name as 'kernel_key'],
  );
const command = (cmd: string) => `command: { cmd: "${cmd}" }`;

describe('import_tasks', () => {
  it('puts the file’s tasks in place, numbered on, with the import’s tags and condition', () => {
    const site = tree({
      'site.yml': `- hosts: all\n  tasks:\n    - name: first\n      ${command('true')}\n    - import_tasks: tasks/more.yml\n      tags: [more]\n      when: x == 1\n    - name: last\n      ${command('true')}\n`,
      'tasks/more.yml': `- name: a\n  ${command('a')}\n  tags: inner\n- import_tasks: deeper.yml\n`,
      'tasks/deeper.yml': `- name: b\n  ${command('b')}\n`,
    });
    const play = loadPlaybook(site, modules).plays[0]!;
    assert.deepEqual(play.tasks.map((t) => `${t.number} ${t.name} [${t.tags.join(',')}] ${t.when.map((c) => c.expr).join(' & ')}`), [
      '1 first [] ',
      '2 a [more,inner] x == 1',
      '3 b [more] x == 1',
      '4 last [] ',
    ]);
    assert.match(play.tasks[2]!.source.file, /tasks\/deeper\.yml$/);
  });
  it('errors point into the imported file', () => {
    const site = tree({ 'site.yml': '- hosts: all\n  tasks:\n    - import_tasks: more.yml\n', 'more.yml': '- name: bad\n  aptt: { name: x }\n' });
    assert.match(failure(() => loadPlaybook(site, modules)), /more\.yml:2:3: unknown module 'aptt'/);
  });
  it('a missing file, a file importing itself, and a templated name are refused where the import is', () => {
    const missing = tree({ 'site.yml': '- hosts: all\n  tasks:\n    - import_tasks: nope.yml\n' });
    assert.match(failure(() => loadPlaybook(missing, modules)), /site\.yml:3:21: import_tasks: .*nope\.yml does not exist/);
    const loop = tree({ 'site.yml': '- hosts: all\n  tasks:\n    - import_tasks: a.yml\n', 'a.yml': '- import_tasks: a.yml\n' });
    assert.match(failure(() => loadPlaybook(loop, modules)), /a\.yml:1:17: import_tasks: a\.yml imports itself/);
    const templated = tree({ 'site.yml': '- hosts: all\n  tasks:\n    - import_tasks: "{{ f }}"\n' });
    assert.match(failure(() => loadPlaybook(templated, modules)), /no templates/);
  });
  it("include_tasks: read with the playbook when its name has no template; apply: is refused with the reason", () => {
    const site = tree({ 'site.yml': '- hosts: all\n  tasks:\n    - include_tasks: more.yml\n', 'more.yml': '- command: uptime\n' });
    const [include] = loadPlaybook(site, modules).plays[0]!.tasks;
    assert.deepEqual([include!.module.name, include!.include?.tasks?.map((t) => [t.module.name, t.number])], ['include_tasks', [['command', 2]]]);
    const applied = tree({ 'site.yml': '- hosts: all\n  tasks:\n    - include_tasks: { file: more.yml, apply: { tags: [x] } }\n', 'more.yml': '[]\n' });
    assert.match(failure(() => loadPlaybook(applied, modules)), /include_tasks: apply: \(keywords for the included tasks\) is not in tend yet/);
  });
});

describe('roles', () => {
  const role = {
    'roles/tuned/tasks/main.yml': `- name: sysctl file\n  template: { dest: "/etc/sysctl.d/{{ prefix }}-tend.conf", src: tuned.conf }\n  notify: reload sysctl\n`,
    'roles/tuned/handlers/main.yml': `- name: reload sysctl\n  ${command('sysctl --system')}\n`,
    'roles/tuned/defaults/main.yml': 'prefix: "60"\nswappiness: 60\n',
    'roles/tuned/vars/main.yml': 'kernel_key: vm.swappiness\n',
    'roles/tuned/templates/tuned.conf': '{{ kernel_key }} = {{ swappiness }}\n',
  };
  it('runs a role’s tasks before the play’s, its handlers with the play’s, its template from templates/', () => {
    const site = tree({
      ...role,
      'site.yml': `- hosts: all\n  roles:\n    - role: tuned\n      swappiness: 10\n      tags: kernel\n  tasks:\n    - name: own\n      ${command('true')}\n  handlers:\n    - name: own handler\n      ${command('true')}\n`,
    });
    const play = loadPlaybook(site, modules).plays[0]!;
    assert.deepEqual(play.tasks.map((t) => `${t.number} ${t.name} [${t.tags.join(',')}]`), ['1 sysctl file [kernel]', '2 own []']);
    assert.deepEqual(play.handlers.map((t) => `${t.number} ${t.name}`), ['3 reload sysctl', '4 own handler']);
    const scope = play.tasks[0]!.scope!;
    assert.deepEqual([scope.role, scope.defaults, scope.vars, scope.params], ['tuned', { prefix: '60', swappiness: 60 }, { kernel_key: 'vm.swappiness' }, { swappiness: 10 }]);
    assert.equal(renderedContent(play.tasks[0]!.params), 'vm.swappiness = 10\n');
    // The role's variables count as defined when the playbook is validated.
    assert.deepEqual(undefinedVariableErrors(loadPlaybook(site, modules), new Set()), []);
  });
  it('a role’s tasks import files beside them, and those still take templates from the role’s templates/', () => {
    const site = tree({
      ...role,
      'roles/tuned/tasks/main.yml': '- import_tasks: more.yml\n',
      'roles/tuned/tasks/more.yml': '- name: from the import\n  template: { dest: /etc/x.conf, src: tuned.conf }\n',
      'site.yml': '- hosts: all\n  roles: [tuned]\n',
    });
    const task = loadPlaybook(site, modules).plays[0]!.tasks[0]!;
    assert.equal(renderedContent(task.params), 'vm.swappiness = 10\n');
    assert.equal(task.scope!.role, 'tuned');
  });
  it('a role that does not exist, and errors inside a role, are located', () => {
    const none = tree({ 'site.yml': '- hosts: all\n  roles: [nosuch]\n' });
    assert.match(failure(() => loadPlaybook(none, modules)), /site\.yml:2:11: role 'nosuch': no directory/);
    const bad = tree({ ...role, 'roles/tuned/tasks/main.yml': '- name: x\n  file: { path: relative }\n', 'site.yml': '- hosts: all\n  roles: [tuned]\n' });
    assert.match(failure(() => loadPlaybook(bad, modules)), /roles\/tuned\/tasks\/main\.yml:2:17: file: path/);
  });
});
