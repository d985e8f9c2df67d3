// The template module: src found where Ansible finds it, compiled once when the playbook
// is read (a syntax error is an input error with the template's file:line:col), rendered
// per host with the host's variables, planned as file content (diff in check mode).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probedFrom } from '../../src/module.ts';
import { loadPlaybook, paramsForHost } from '../../src/playbook/load.ts';
import { variableLookup } from '../../src/playbook/template.ts';
import { modules } from '../../tasks/index.ts';
import { failure, tree } from './playbook-files.ts';

const TEMPLATE = '# {{ ansible_managed }}\n{% for h in relays %}\nrelay {{ h }}:{{ port }}\n{% endfor %}\n{% if tls %}\ntls on\n{% endif %}\n';

function taskOf(files: Record<string, string>, play = 0, task = 0) {
  const pb = loadPlaybook(tree(files), modules);
  return pb.plays[play]!.tasks[task]!;
}

const missing = probedFrom(['plain\n', 'missing\n', '']);
const existing = (content: string) => probedFrom(['plain\n', 'regular file|root|root|644\n', content]);

describe('template module', () => {
  it('renders src from templates/ beside the playbook with each host’s variables; the plan writes it', () => {
    const spec = taskOf({
      'site.yml': '- hosts: all\n  vars: { port: 25, tls: true }\n  tasks:\n    - template: { src: relay.j2, dest: /etc/relay.conf, mode: "0644" }\n',
      'templates/relay.j2': TEMPLATE,
    });
    const a = paramsForHost(spec, variableLookup([{ port: 25, tls: true }, { relays: ['a', 'b'] }])) as { content: string };
    assert.equal(a.content, '# Ansible managed\nrelay a:25\nrelay b:25\ntls on\n');
    const b = paramsForHost(spec, variableLookup([{ port: 25, tls: false }, { relays: [] }])) as { content: string };
    assert.equal(b.content, '# Ansible managed\n');
    const planned = spec.module.plan(a, missing);
    assert.equal(planned.changes[0]!.kind, 'content');
    assert.equal(planned.changes[0]!.after, a.content);
    assert.equal(planned.commands.length, 1);
    // Converged: same content, same mode.
    assert.deepEqual(spec.module.plan(a, existing(a.content)), { changes: [], commands: [] });
    // Differs: the diff shows the old and the new text (check mode prints it).
    const diff = spec.module.plan(a, existing('relay old\n')).changes[0]!;
    assert.deepEqual([diff.before, diff.after], ['relay old\n', a.content]);
  });

  it('a role’s templates/ first, then beside the playbook', () => {
    const spec = taskOf({
      'site.yml': '- hosts: all\n  roles: [mail]\n',
      'roles/mail/tasks/main.yml': '- template: { src: a.j2, dest: /etc/a }\n- template: { src: b.j2, dest: /etc/b }\n',
      'roles/mail/templates/a.j2': 'role {{ x }}',
      'templates/a.j2': 'playbook',
      'templates/b.j2': 'beside {{ x }}',
    });
    const pb = loadPlaybook(tree({
      'site.yml': '- hosts: all\n  roles: [mail]\n',
      'roles/mail/tasks/main.yml': '- template: { src: a.j2, dest: /etc/a }\n- template: { src: b.j2, dest: /etc/b }\n',
      'roles/mail/templates/a.j2': 'role {{ x }}',
      'templates/a.j2': 'playbook',
      'templates/b.j2': 'beside {{ x }}',
    }), modules);
    const lookup = variableLookup([{ x: 1 }]);
    assert.equal((paramsForHost(spec, lookup) as { content: string }).content, 'role 1');
    assert.equal((paramsForHost(pb.plays[0]!.tasks[1]!, lookup) as { content: string }).content, 'beside 1');
  });

  it('a template Ansible could not parse is an input error naming the template’s line', () => {
    const message = failure(() =>
      taskOf({ 'site.yml': '- hosts: all\n  tasks:\n    - template: { src: bad.j2, dest: /etc/x }\n', 'templates/bad.j2': 'ok\n{% if x %}\nno end\n' }),
    );
    assert.match(message, /site\.yml:3:\d+: template: .*bad\.j2:\d+.*(endif|end of template)/s);
    assert.match(failure(() => taskOf({ 'site.yml': '- hosts: all\n  tasks:\n    - template: { src: none.j2, dest: /etc/x }\n' })), /template none.j2: no such file/);
  });

  it('trim_blocks, lstrip_blocks, newline_sequence and other delimiters are the task’s', () => {
    const spec = taskOf({
      'site.yml': '- hosts: all\n  tasks:\n    - template:\n        src: t.j2\n        dest: /etc/x\n        trim_blocks: false\n        newline_sequence: "\\\\r\\\\n"\n        variable_start_string: "[["\n        variable_end_string: "]]"\n',
      'templates/t.j2': '  {% if true %}\n[[ v ]] {{ kept }}\n  {% endif %}\n',
    });
    assert.equal((paramsForHost(spec, variableLookup([{ v: 'x' }])) as { content: string }).content, '  \r\nx {{ kept }}\r\n  \r\n');
  });

  it('force: false leaves an existing file’s content alone (metadata still managed)', () => {
    const spec = taskOf({ 'site.yml': '- hosts: all\n  tasks:\n    - template: { src: t.j2, dest: /etc/x, force: false, mode: "0600" }\n', 'templates/t.j2': 'new\n' });
    const p = paramsForHost(spec, variableLookup([]));
    const planned = spec.module.plan(p, existing('old\n'));
    assert.deepEqual(planned.changes.map((c) => c.kind), ['set'], 'the mode only, not the content');
    assert.equal(spec.module.plan(p, missing).changes[0]!.after, 'new\n');
    // An empty file exists too (cat gave nothing): kept empty.
    const empty = spec.module.plan(p, probedFrom(['plain\n', 'regular empty file|root|root|600\n']));
    assert.deepEqual(empty, { changes: [], commands: [] });
  });

  it('force: false with follow: the file a link points to is the one kept, its mode set', () => {
    const spec = taskOf({ 'site.yml': '- hosts: all\n  tasks:\n    - template: { src: t.j2, dest: /etc/x, force: false, follow: true, mode: "0600" }\n', 'templates/t.j2': 'new\n' });
    const p = paramsForHost(spec, variableLookup([]));
    const planned = spec.module.plan(p, probedFrom(['link /srv/real\n', 'regular file|root|root|644\n', 'old\n']));
    assert.deepEqual(planned.changes, [{ subject: '/srv/real mode', kind: 'set', before: '0644', after: '0600' }]);
    // A dangling link: its target is missing, so it is written there.
    const dangling = spec.module.plan(p, probedFrom(['link /srv/real\n', 'missing\n', '']));
    assert.deepEqual([dangling.changes[0]!.subject, dangling.changes[0]!.after], ['/srv/real', 'new\n']);
  });

  it('file: { template: } is gone: the error gives the template module’s spelling', () => {
    assert.throws(() => taskOf({ 'site.yml': '- hosts: all\n  tasks:\n    - file: { path: /etc/x, template: t.j2 }\n', 't.j2': 'x\n' }), /file: template: is gone from file: write `template: \{src: …, dest: …\}`/);
  });
});
