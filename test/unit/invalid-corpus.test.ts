// The loaders report each broken file of test/fixtures/invalid/ exactly where and how its
// first line says, before any other complaint.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError, InputErrors } from '../../src/errors.ts';
import { loadInventory } from '../../src/inventory/index.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { undefinedVariableErrors } from '../../src/playbook/variables.ts';
import { modules } from '../../tasks/index.ts';
import { corpus } from '../fixtures/invalid-corpus.ts';

function firstError(run: () => void): InputError {
  try {
    run();
  } catch (e) {
    if (e instanceof InputErrors) return e.errors[0]!;
    if (e instanceof InputError) return e;
    throw e;
  }
  assert.fail('no error reported');
}

describe('the invalid-input corpus', () => {
  it('has at least 20 cases', () => assert.ok(corpus.length >= 20));
  for (const c of corpus) {
    it(`${c.name}: ${c.line}:${c.col} ${c.message}`, () => {
      const error = firstError(() => {
        if (c.isInventory) loadInventory(c.file);
        else {
          const playbook = loadPlaybook(c.file, modules);
          const errors = undefinedVariableErrors(playbook, new Set());
          if (errors.length > 0) throw new InputErrors(errors);
        }
      });
      assert.equal(error.location?.file, c.file);
      assert.deepEqual([error.location?.line, error.location?.col], [c.line, c.col], error.format());
      assert.ok(error.message.includes(c.message), `'${error.message}' does not say '${c.message}'`);
    });
  }
});
