// group_vars/ and host_vars/ beside an inventory (src/inventory/vars-dirs.ts), each case
// as ansible-core 2.14's host_group_vars plugin reads the same tree (`ansible-inventory
// -i hosts --list`): which file of NAME, NAME.yml, NAME.yaml, NAME.json is read, which
// files of a directory are merged and in what order, empty files, and files that do not
// hold a mapping.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { loadInventory } from '../../src/inventory/index.ts';

/** A directory holding the given files (path → content); returns it. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tend-vars-dirs-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const varsOf = (dir: string, host: string) => {
  const { inventory_hostname: _n, group_names: _g, ...rest } = loadInventory(join(dir, 'hosts')).hosts.get(host)!.vars;
  return rest;
};

describe('group_vars/NAME as a directory', () => {
  // ansible-inventory --list: w1 {a: 1, b: sub, c: sub, f: json, from_file: file, g: noext}
  const dir = tree({
    hosts: '[web]\nw1\n[web:vars]\nfrom_file=file\n',
    'group_vars/web/00-empty.yml': '',
    'group_vars/web/01.yml': 'a: 1\nb: main\n',
    'group_vars/web/02.yml~': 'b: backup\n',
    'group_vars/web/zz~': 'b: backup\n',
    'group_vars/web/03': 'g: noext\n',
    'group_vars/web/.hidden.yml': 'b: hidden\n',
    'group_vars/web/notes.txt': 'e: txt\n',
    'group_vars/web/skip.d/x.yml': 'd: skipd\n',
    'group_vars/web/sub/x.yaml': 'c: sub\nb: sub\n',
    'group_vars/web/z.json': '{"f": "json"}\n',
  });
  it('its files in name order, subdirectories without an extension read recursively; empty files add nothing', () => {
    assert.deepEqual(varsOf(dir, 'w1'), { a: 1, b: 'sub', c: 'sub', f: 'json', from_file: 'file', g: 'noext' });
  });
  it('backups (~), hidden files, other extensions and directories with an extension are skipped', () => {
    const vars = varsOf(dir, 'w1');
    assert.equal('d' in vars, false);
    assert.equal('e' in vars, false);
    assert.notEqual(vars.b, 'backup');
    assert.notEqual(vars.b, 'hidden');
  });
});

describe('which of NAME, NAME.yml, NAME.yaml, NAME.json', () => {
  it('the first that exists, in that order, and only that one', () => {
    // ansible-inventory: d1 {h: hv, x: plain}
    const dir = tree({
      hosts: '[db]\nd1\n',
      'group_vars/db': 'x: plain\n',
      'group_vars/db.yml': 'x: yml\ny: yml\n',
      'host_vars/d1.yml': 'h: hv\n',
      'host_vars/d1.json': '{"h": "hvjson", "j": 1}\n',
    });
    assert.deepEqual(varsOf(dir, 'd1'), { h: 'hv', x: 'plain' });
  });
  it('.yaml and .json alone are read', () => {
    const dir = tree({ hosts: '[db]\nd1\n', 'group_vars/db.yaml': 'x: yaml\n', 'host_vars/d1.json': '{"h": "json"}\n' });
    assert.deepEqual(varsOf(dir, 'd1'), { h: 'json', x: 'yaml' });
  });
  it('host_vars/ alone, without group_vars/, is read and wins over the inventory file', () => {
    // ansible-inventory: h1 {v: hostvars}
    const dir = tree({ hosts: 'h1 v=file\n', 'host_vars/h1': 'v: hostvars\n' });
    assert.deepEqual(varsOf(dir, 'h1'), { v: 'hostvars' });
  });
  it('an empty file is no variables', () => {
    const dir = tree({ hosts: '[db]\nd1 v=file\n', 'group_vars/db.yml': '', 'host_vars/d1.yml': '# nothing\n' });
    assert.deepEqual(varsOf(dir, 'd1'), { v: 'file' });
  });
});

describe('a file that does not hold a mapping', () => {
  // Ansible: ERROR! failed to combine variables, expected dicts but got a 'dict' and a 'AnsibleSequence'
  for (const [what, text] of [
    ['a list', '- a\n- b\n'],
    ['text', 'just text\n'],
  ]) {
    it(`${what} is refused, naming the file`, () => {
      const dir = tree({ hosts: '[web]\nw1\n', 'group_vars/web.yml': text! });
      const file = join(dir, 'group_vars', 'web.yml');
      assert.throws(
        () => loadInventory(join(dir, 'hosts')),
        (e: unknown) => e instanceof InputError && e.message === `${file} must hold a mapping of variables` && e.location?.file === file,
      );
    });
  }
});
