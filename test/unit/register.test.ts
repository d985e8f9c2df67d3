// register and the keywords that read a task's result (changed_when, failed_when), set_fact,
// assert, debug and fail, against test/conformance/register/, recorded by
// record-register.py from ansible-playbook 2.14 (per host, what each "show …" task showed).
// tend runs the same playbook through its engine (local-play.ts), its commands in this
// machine's /bin/sh as Ansible's ran in its local connection.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TaskModule } from '../../src/module.ts';
import command from '../../tasks/builtin/command.ts';
import shell from '../../tasks/builtin/shell.ts';
import { playLocally } from './local-play.ts';

const HERE = join(import.meta.dirname, '../conformance/register');
const EXPECTED = JSON.parse(readFileSync(join(HERE, 'expected.json'), 'utf8')) as Record<string, string[]>;

describe('register, as ansible-playbook 2.14 gives it', () => {
  it('each registered result, changed_when, failed_when, set_fact, assert, debug and fail: what the show tasks saw', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tend-register-'));
    cpSync(HERE, root, { recursive: true });
    const { sequence } = await playLocally(join(root, 'playbook.yml'), join(root, 'inventory.ini'), {}, [command as TaskModule, shell as TaskModule]);
    const shown = Object.fromEntries([...sequence].map(([host, lines]) => [host, lines.filter((l) => l.startsWith('show '))]));
    assert.deepEqual(shown, EXPECTED);
  });
});
