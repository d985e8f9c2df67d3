// The local transport: `localhost` (connection: local) runs tasks on this machine
// without SSH. Everything it touches lives in a temporary directory.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tend, writeTemp } from './helpers.ts';

describe('local transport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-local-'));
  const inventory = writeTemp('hosts', 'localhost ansible_connection=local\n');
  const playbook = writeTemp(
    'local.yml',
    [
      '- hosts: all',
      '  tasks:',
      '    - copy: { dest: "{{ dir }}/conf", content: "a = 1\\n", mode: "0600" }',
      '    - file: { path: "{{ dir }}/sub", state: directory, mode: "0750" }',
      '    - file: { src: "{{ dir }}/conf", dest: "{{ dir }}/link", state: link }',
      '    - shell: { cmd: "echo ran >> {{ dir }}/log", creates: "{{ dir }}/log" }',
      '',
    ].join('\n'),
  );
  const args = ['-i', inventory, '-e', `dir=${dir}`];

  it('applies on this machine, then finds nothing to do', async () => {
    const first = await tend(['apply', playbook, ...args]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /^localhost +ok=0 {2}changed=4 /m);
    assert.equal(readFileSync(join(dir, 'conf'), 'utf8'), 'a = 1\n');
    assert.equal(statSync(join(dir, 'conf')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'sub')).mode & 0o777, 0o750);
    assert.equal(readFileSync(join(dir, 'log'), 'utf8'), 'ran\n');
    const second = await tend(['apply', playbook, ...args]);
    assert.match(second.stdout, /^localhost +ok=4 {2}changed=0 /m);
    const check = await tend(['check', playbook, ...args]);
    assert.equal(check.code, 0, check.stdout);
  });

  it('tend run here: 50 MB of output kept as head and tail, the bytes left out counted', async () => {
    // 50 000 000 a's, "\n", "last\n"; the first and last 64 KiB are shown.
    const r = await tend(['run', '-i', inventory, '--', 'sh', '-c', 'head -c 50000000 /dev/zero | tr "\\0" a; echo; echo last']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^ {4}… ${50_000_000 + 1 + 5 - 2 * 64 * 1024} bytes not shown …$`, 'm'));
    assert.match(r.stdout, /a\n {4}last$/m);
  });

  it('a script read whole that prints more than 16 MiB fails the task, saying so', async () => {
    const loud = writeTemp('loud.yml', '- hosts: all\n  tasks:\n    - command: { cmd: "head -c 17000000 /dev/zero" }\n');
    const r = await tend(['apply', loud, '-i', inventory]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /localhost: probe output exceeded 16777216 bytes/);
  });
});
