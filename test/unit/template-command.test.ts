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
  it('renders with -e variables, inventory host variables under them, and ansible_managed', async () => {
    const t = file('a.j2', '# {{ ansible_managed }}\n{% for h in relays %}\nrelay {{ h }}:{{ port }}\n{% endfor %}\n\n');
    const inv = file('hosts.yml', 'all:\n  hosts:\n    mx1: { port: 25, relays: [a] }\n');
    assert.equal(await renderTemplateFile(t, { extraVars: ['port=587'], inventory: inv, host: 'mx1' }), '# Ansible managed\nrelay a:587\n\n');
    await assert.rejects(renderTemplateFile(t, { extraVars: [], inventory: inv, host: 'nope' }), /no host 'nope'/);
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
  it("sees the host's magic variables: groups, hostvars, inventory_hostname_short, omit", async () => {
    const t = file('m.j2', "{{ inventory_hostname_short }} {{ groups.mail | join(',') }} {{ hostvars['mx2.example.org'].port }} {{ group_names }} {{ omit[:21] }}\n");
    const inv = file('m.ini', '[mail]\nmx1.example.org port=25\nmx2.example.org port=587\n');
    assert.equal(await renderTemplateFile(t, { extraVars: [], inventory: inv, host: 'mx1.example.org' }), "mx1 mx1.example.org,mx2.example.org 587 ['mail'] __omit_place_holder__\n");
  });
  it('reads facts only when the template uses them: --no-facts leaves them undefined; an unreachable host is said on stderr', () => {
    const t = file('f.j2', '{{ ansible_distribution }}\n');
    const inv = file('f.ini', 'web ansible_host=127.0.0.1 ansible_port=1\n');
    const noFacts = cli(t, '-i', inv, '--host', 'web', '--no-facts');
    assert.equal(noFacts.status, 8);
    assert.match(noFacts.stderr, /f\.j2:1:\d+: 'ansible_distribution' is undefined/);
    const unreachable = cli(t, '-i', inv, '--host', 'web', '--timeout', '2');
    assert.equal(unreachable.status, 8);
    assert.match(unreachable.stderr, /tend template: web: facts not read \(.*\); they stay undefined/);
    const withoutFacts = cli(file('g.j2', '{{ inventory_hostname }}\n'), '-i', inv, '--host', 'web');
    assert.deepEqual([withoutFacts.status, withoutFacts.stdout, withoutFacts.stderr], [0, 'web\n', '']);
  });
});
