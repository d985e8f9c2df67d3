// with_* loops against ansible-playbook 2.14: test/conformance/loops/cases.yml, recorded by
// record-loops.py into expected.json (each item as `item | to_json` printed it, or the
// task's error). tend reads the same tasks with its loader and makes each loop's items
// with the engine's function, over the same variables; each item is printed with the
// same to_json.
import assert from 'node:assert/strict';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { z } from 'zod';
import { defineTask, NO_CHANGE, type TaskModule } from '../../src/module.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { lookupSearchPath, withLoopItems } from '../../src/playbook/loops.ts';
import { render, variableLookup } from '../../src/playbook/template.ts';
import { sh } from '../../src/shell.ts';

const HERE = join(import.meta.dirname, '../conformance/loops');
const SPEC = parse(readFileSync(join(HERE, 'cases.yml'), 'utf8')) as { vars: Record<string, unknown>; cases: Record<string, unknown>[] };
const EXPECTED = JSON.parse(readFileSync(join(HERE, 'expected.json'), 'utf8').replaceAll('<dir>', HERE)) as ({ items: string[] } | { error: string })[];

const debug = defineTask({
  name: 'debug',
  summary: 'stands in for Ansible debug here',
  example: '',
  params: z.object({ msg: z.string() }).strict(),
  probe: () => sh`true`,
  plan: () => NO_CHANGE,
});

/** The tasks as the recorder wrote them, read by tend's loader (beside files/, as Ansible read them). */
function tasks() {
  const file = join(HERE, '.with-loops-test.yml');
  const play = [{ hosts: 'all', vars: SPEC.vars, tasks: SPEC.cases.map((c, i) => ({ ...c, name: `case ${i}`, debug: { msg: '{{ item | to_json }}' } })) }];
  writeFileSync(file, JSON.stringify(play));
  try {
    return loadPlaybook(file, new Map([['debug', debug as TaskModule]])).plays[0]!;
  } finally {
    unlinkSync(file);
  }
}

describe('with_* loops, as ansible-playbook 2.14 makes their items', () => {
  const play = tasks();
  const vars = variableLookup([play.vars]);

  for (const [i, spec] of play.tasks.entries()) {
    const expected = EXPECTED[i]!;
    it(`case ${i}: ${JSON.stringify(SPEC.cases[i])}`, () => {
      assert.ok(spec.loop?.with, 'read as a with_ loop');
      let items: unknown;
      try {
        items = withLoopItems(spec.loop.with, spec.loop.items, vars, lookupSearchPath(spec));
      } catch (e) {
        assert.ok('error' in expected, `tend failed (${e instanceof Error ? e.message : String(e)}) where Ansible gave items`);
        // Ansible's text holds tend's (for an undefined variable Ansible says it twice), or the other way round.
        const message = e instanceof Error ? e.message : String(e);
        assert.ok(message.length >= 20, `a message that says something: '${message}'`);
        assert.ok(expected.error.includes(message) || message.includes(expected.error), `tend: ${message}\nAnsible: ${expected.error}`);
        return;
      }
      assert.ok('items' in expected, `tend gave items where Ansible failed with: ${'error' in expected ? expected.error : ''}`);
      assert.ok(Array.isArray(items));
      const shown = items.map((item) => render('{{ item | to_json }}', (n) => (n === 'item' ? item : undefined)));
      assert.deepEqual(shown, expected.items);
    });
  }

  it('every recorded case is compared', () => {
    assert.equal(play.tasks.length, EXPECTED.length);
    assert.equal(EXPECTED.length, SPEC.cases.length);
  });
});
