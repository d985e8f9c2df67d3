// The loaders report each broken file of test/fixtures/invalid/ exactly where and how its
// first line says, before any other complaint.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError, InputErrors } from '../../src/errors.ts';
import { checkKeyFiles, loadInventory } from '../../src/inventory/index.ts';
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
        if (c.isInventory) checkKeyFiles([...loadInventory(c.file).hosts.values()]);
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

describe('hostile inputs are refused quickly, without a stack or a hang', () => {
  const cases = corpus.filter((c) => /alias|range|not-utf8|bom/.test(c.name));
  it('covers alias bombs, self-aliases, ranges, encodings', () => assert.ok(cases.length >= 6));
  for (const c of cases) {
    it(`${c.name}: an InputError within a second`, () => {
      const started = performance.now();
      firstError(() => (c.isInventory ? loadInventory(c.file) : loadPlaybook(c.file, modules)));
      assert.ok(performance.now() - started < 1000, `took ${Math.round(performance.now() - started)} ms`);
    });
  }
  it('a 50 MB playbook is refused by its size before it is parsed', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tend-big-')), 'big.yml');
    writeFileSync(file, `- hosts: all\n  vars:\n    v: "${'x'.repeat(50 * 1024 * 1024)}"\n`);
    const started = performance.now();
    const error = firstError(() => loadPlaybook(file, modules));
    assert.match(error.format(), /big\.yml:1:1: file .* is 50\.0 MB; tend reads files up to 4 MB/);
    assert.ok(performance.now() - started < 1000);
  });
});
