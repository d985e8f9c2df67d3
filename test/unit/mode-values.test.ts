// A mode that reaches a module as a number means what it means to Ansible: the
// permission bits themselves (420 is 0644), however it was written. Playbooks are read
// as YAML 1.1, so `m: 0644` in vars is the number 420, and `mode: "{{ m }}"` renders to
// that number; reading its decimal digits as octal gave mode 0420.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { InputError } from '../../src/errors.ts';
import { loadPlaybook, paramsForHost } from '../../src/playbook/load.ts';
import { variableLookup } from '../../src/playbook/template.ts';
import { modeParam } from '../../tasks/lib/metadata.ts';
import { modules } from '../../tasks/index.ts';

describe('modes', () => {
  it('a number is the permission bits (Ansible reads an int mode so); text is octal digits', () => {
    assert.equal(modeParam.parse(0o644), '0644');
    assert.equal(modeParam.parse(420), '0644');
    assert.equal(modeParam.parse(0o2750), '2750');
    assert.equal(modeParam.parse('0644'), '0644');
    assert.equal(modeParam.parse('644'), '0644');
    assert.equal(modeParam.parse('2750'), '2750');
    assert.throws(() => modeParam.parse(0o10000), /a mode/);
    assert.throws(() => modeParam.parse(-1), /a mode/);
    assert.throws(() => modeParam.parse('0999'), /a mode/);
  });

  it('mode: "{{ m }}" with m: 0644 in the play vars is mode 0644, as in Ansible', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-mode-'));
    const file = join(dir, 'site.yml');
    writeFileSync(file, '- hosts: all\n  vars:\n    m: 0644\n    s: "0600"\n  tasks:\n    - copy: { dest: /etc/a, mode: "{{ m }}", content: x }\n    - file: { path: /etc/b, mode: "{{ s }}" }\n    - copy: { dest: /etc/c, mode: 0640, content: x }\n');
    const play = loadPlaybook(file, modules).plays[0]!;
    const lookup = variableLookup([play.vars]);
    const modes = play.tasks.map((t) => (paramsForHost(t, lookup) as { mode: string }).mode);
    assert.deepEqual(modes, ['0644', '0600', '0640']);
  });

  it('a mode written as text is never turned into a number on the way: "0999" is refused, "0750" kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-mode-'));
    const file = join(dir, 'site.yml');
    writeFileSync(file, '- hosts: all\n  tasks:\n    - file: { path: /srv/x, state: directory, mode: "0999" }\n');
    assert.throws(() => loadPlaybook(file, modules), (e: InputError) => /site\.yml:3:\d+: file: mode: a mode in octal digits/.test(e.format()));
    writeFileSync(file, '- hosts: all\n  tasks:\n    - file: { path: /srv/x, state: directory, mode: "0750" }\n    - file: path=/srv/y state=directory mode=0750\n');
    const tasks = loadPlaybook(file, modules).plays[0]!.tasks;
    assert.deepEqual(tasks.map((t) => (paramsForHost(t, variableLookup([])) as { mode: string }).mode), ['0750', '0750']);
  });
});
