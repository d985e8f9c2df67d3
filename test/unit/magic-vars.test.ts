// Ansible's magic variables, compared with what ansible-core 2.14 printed for the same
// inventory and play (test/conformance/magic/, re-recorded by its record-magic.py): a
// play over web:db with serial: 2 and a role, each expression of expressions.json shown
// per host as JSON. tend runs the same play through its engine (rollout, run, host-run,
// host-lookup) against hosts that are local directories (local-play.ts), each task's
// rendered text recorded by its show module. Lookups in tasks
// find files where Ansible's do: the role's files/, then the playbook's.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { OMIT_TOKEN, removeOmit } from '../../src/playbook/omit.ts';
import { BUILTIN_VARIABLES } from '../../src/playbook/variables.ts';
import { playLocally } from './local-play.ts';

const HERE = join(import.meta.dirname, '../conformance/magic');
const EXPRESSIONS = JSON.parse(readFileSync(join(HERE, 'expressions.json'), 'utf8')) as { play: string[]; role: string[] };
const EXPECTED = JSON.parse(readFileSync(join(HERE, 'expected.json'), 'utf8')) as Record<string, Record<string, unknown>>;

const task = (expr: string) => ({ name: expr, show: { text: `{{ (${expr}) | to_json }}` } });

/** Runs the recorded play with tend; per host, each expression's value. */
async function tendSees(): Promise<Record<string, Record<string, unknown>>> {
  const root = mkdtempSync(join(tmpdir(), 'tend-magic-'));
  copyFileSync(join(HERE, 'inventory.ini'), join(root, 'inventory.ini'));
  mkdirSync(join(root, 'roles/r1/tasks'), { recursive: true });
  // Files for lookups, as the recorder made them: the playbook's files/, the role's files/.
  mkdirSync(join(root, 'files'));
  mkdirSync(join(root, 'roles/r1/files'));
  writeFileSync(join(root, 'files/greeting.txt'), 'hello from the playbook\n');
  writeFileSync(join(root, 'roles/r1/files/role.txt'), 'hello from the role\n');
  writeFileSync(join(root, 'roles/r1/tasks/main.yml'), JSON.stringify(EXPRESSIONS.role.map(task)));
  const playbookFile = join(root, 'playbook.yml');
  writeFileSync(playbookFile, JSON.stringify([{ hosts: 'web:db', gather_facts: false, serial: 2, roles: ['r1'], tasks: EXPRESSIONS.play.map(task) }]));
  const { hosts, shown } = await playLocally(playbookFile, join(root, 'inventory.ini'));
  assert.match(readFileSync(join(root, 'creds/pw'), 'utf8'), /^\d{8}\n$/, "the password lookup's file is beside the playbook");
  for (const h of hosts) assert.equal(h.status, 'changed', `${h.host}: ${JSON.stringify(h.tasks.find((t) => t.error)?.error ?? h.error)}`);
  const seen: Record<string, Record<string, unknown>> = {};
  for (const [name, byTask] of shown) {
    const value = (expr: string) => JSON.parse(byTask.get(expr)!.replaceAll(root, '<dir>')) as unknown;
    seen[name] = Object.fromEntries([...EXPRESSIONS.play.map((e) => [e, value(e)]), ...EXPRESSIONS.role.map((e) => [`r1 : ${e}`, value(e)])]);
  }
  return seen;
}

describe('magic variables, as ansible-core 2.14 shows them', () => {
  it('every recorded expression on every host equals what Ansible printed', async () => {
    const seen = await tendSees();
    assert.deepEqual(Object.keys(seen).sort(), Object.keys(EXPECTED).sort());
    let compared = 0;
    for (const [host, values] of Object.entries(EXPECTED)) {
      for (const [expr, value] of Object.entries(values)) {
        assert.deepEqual(seen[host]![expr], value, `${host}: ${expr}`);
        compared++;
      }
    }
    assert.equal(compared, 3 * (EXPRESSIONS.play.length + EXPRESSIONS.role.length));
  });

  it('validate knows every name the engine defines, and only those', () => {
    const names = new Set(EXPRESSIONS.play.concat(EXPRESSIONS.role).flatMap((e) => /^[a-z_]+$/.test(e) ? [e] : []));
    for (const n of names) assert.ok(BUILTIN_VARIABLES.includes(n), n);
    assert.equal(new Set(BUILTIN_VARIABLES).size, BUILTIN_VARIABLES.length);
  });

  it('omit drops a parameter from its mapping at any depth, and a list item stays', () => {
    const out = removeOmit({ a: OMIT_TOKEN, b: { c: OMIT_TOKEN, d: 1 }, e: [OMIT_TOKEN, { f: OMIT_TOKEN, g: 2 }], h: 'x' });
    assert.deepEqual(out, { b: { d: 1 }, e: [OMIT_TOKEN, { g: 2 }], h: 'x' });
  });
});
