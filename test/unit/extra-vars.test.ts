// -e as Ansible reads it: key=value pairs, JSON, and @file read as Ansible reads a vars
// file (YAML 1.1: yes/no/on/off are booleans, 0644 is octal), which tend read as YAML 1.2
// before (yes was the string 'yes', 0644 the number 644).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseExtraVars } from '../../src/commands/options.ts';

describe('-e', () => {
  it('reads @file as YAML 1.1, as Ansible does', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tend-e-')), 'vars.yml');
    writeFileSync(file, 'enabled: yes\ndisabled: off\nmode: 0644\nname: web\nport: 8080\n');
    assert.deepEqual({ ...parseExtraVars([`@${file}`]) }, { enabled: true, disabled: false, mode: 420, name: 'web', port: 8080 });
  });
  it('reads key=value pairs as strings and JSON as JSON; later values win', () => {
    assert.deepEqual({ ...parseExtraVars(['a=1 b=yes', '{"b": true, "c": [1]}']) }, { a: '1', b: true, c: [1] });
  });
});
