// tend template: the text the template module would write, on stdout byte for byte; a
// template Ansible could not parse (or that fails to render) is exit 8 with file:line:col.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderTemplateFile } from '../../src/commands/template.ts';

const dir = mkdtempSync(join(tmpdir(), 'tend-template-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', new URL('../../src/cli.ts', import.meta.url).pathname, 'template', ...args], { encoding: 'utf8' });

describe('tend template', () => {
  it('renders with -e variables, inventory host variables under them, and ansible_managed', () => {
    const t = file('a.j2', '# {{ ansible_managed }}\n{% for h in relays %}\nrelay {{ h }}:{{ port }}\n{% endfor %}\n\n');
    const inv = file('hosts.yml', 'all:\n  hosts:\n    mx1: { port: 25, relays: [a] }\n');
    assert.equal(renderTemplateFile(t, { extraVars: ['port=587'], inventory: inv, host: 'mx1' }), '# Ansible managed\nrelay a:587\n\n');
    assert.throws(() => renderTemplateFile(t, { extraVars: [], inventory: inv, host: 'nope' }), /no host 'nope'/);
  });
  it('stdout is the text byte for byte, exit 0; errors are exit 8 with file:line:col', () => {
    const ok = cli(file('b.j2', 'x={{ x }}'), '-e', 'x=1');
    assert.deepEqual([ok.status, ok.stdout], [0, 'x=1']);
    const bad = cli(file('c.j2', 'a\n{% if %}\n'));
    assert.equal(bad.status, 8);
    assert.match(bad.stderr, /c\.j2:2:\d+: Expected an expression/);
    const undef = cli(file('d.j2', 'a\n{{ nope }}\n'));
    assert.equal(undef.status, 8);
    assert.match(undef.stderr, /d\.j2:2:\d+: 'nope' is undefined/);
  });
});
