// The loaders report each broken file of test/fixtures/invalid/ exactly where and how its
// first line says, before any other complaint.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError, InputErrors } from '../../src/errors.ts';
import { loadInventory } from '../../src/inventory/index.ts';
import { undefinedVariableErrors } from '../../src/playbook/variables.ts';
import { readPlaybook } from '../../src/commands/read-playbook.ts';
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
  for (const c of corpus) {
    it(`${c.name}: ${c.line}:${c.col} ${c.message}`, () => {
      const error = firstError(() => {
        if (c.isInventory) loadInventory(c.file);
        else {
          // As the commands read it: host patterns checked against the inventory's grammar.
          const playbook = readPlaybook(c.file);
          const errors = undefinedVariableErrors(playbook, new Set());
          if (errors.length > 0) throw new InputErrors(errors);
        }
      });
      assert.equal(error.location?.file, c.file);
      assert.deepEqual([error.location?.line, error.location?.col], [c.line, c.col], error.format());
      assert.ok(error.message.includes(c.message), `'${error.message}' does not say '${c.message}'`);
      // As editors read it: the file and position first, then one sentence, never a stack.
      const text = error.format();
      assert.ok(text.startsWith(`${c.file}:${c.line}:${c.col}: `), text);
      assert.doesNotMatch(text, /\n\s+at |Error:/, text);
    });
  }
});

describe('hostile inputs are refused quickly, without a stack or a hang', () => {
  const cases = corpus.filter((c) => /alias|range|not-utf8|bom/.test(c.name));
  const scratch = mkdtempSync(join(tmpdir(), 'tend-hostile-'));
  /** A file of `text` (or bytes) in the scratch directory. */
  const write = (name: string, text: string | Buffer) => {
    const file = join(scratch, name);
    writeFileSync(file, text);
    return file;
  };
  /** Refused with an InputError at `line`:`col` whose sentence matches `message`, within a second. */
  const refusedQuickly = (load: () => void, file: string, at: [number, number], message: RegExp) => {
    const started = performance.now();
    const error = firstError(load);
    assert.ok(performance.now() - started < 1000, `took ${Math.round(performance.now() - started)} ms`);
    assert.equal(error.location?.file, file);
    assert.deepEqual([error.location?.line, error.location?.col], at, error.format());
    assert.match(error.message, message);
  };
  it('alias bombs of other shapes than the corpus’s: wide, deep, in an inventory', () => {
    for (const [width, depth] of [[4, 12], [30, 5], [2, 24]] as const) {
      const refs = (n: number) => Array.from({ length: width }, () => `*a${n}`).join(', ');
      const levels = Array.from({ length: depth }, (_, n) => (n === 0 ? `    a0: &a0 [${Array(width).fill('"x"').join(', ')}]` : `    a${n}: &a${n} [${refs(n - 1)}]`));
      const file = write(`bomb-${width}-${depth}.yml`, `- hosts: all
  vars:
${levels.join('\n')}
  tasks: []
`);
      // The first alias whose expansion goes over the limit is named; where it is depends on the shape.
      const started = performance.now();
      const error = firstError(() => readPlaybook(file));
      assert.ok(performance.now() - started < 1000);
      assert.equal(error.location?.file, file);
      assert.match(error.message, /YAML aliases expand to too many values/);
    }
    const inventory = write('bomb.inventory.yml', `all:
  vars:
    a: &a [x, x, x, x, x, x, x, x, x, x]
${Array.from({ length: 7 }, (_, n) => `    b${n}: &b${n} [${Array(10).fill(n === 0 ? '*a' : `*b${n - 1}`).join(', ')}]`).join('\n')}
  hosts:
    h1:
`);
    const started = performance.now();
    assert.match(firstError(() => loadInventory(inventory)).message, /YAML aliases expand to too many values/);
    assert.ok(performance.now() - started < 1000);
  });
  it('host ranges that make millions of hosts, one range or several in a name', () => {
    const one = write('range.ini', '[web]\nok1\nweb[0:9999999]\n');
    refusedQuickly(() => loadInventory(one), one, [3, 1], /makes more than 100000 hosts/);
    const several = write('ranges.ini', '[web]\nh[0:99][0:99][0:99]\n');
    refusedQuickly(() => loadInventory(several), several, [2, 1], /makes more than 100000 hosts/);
  });
  it('bytes that are not UTF-8 are located where they are', () => {
    const file = write('latin1.yml', Buffer.concat([Buffer.from('- hosts: all\n  tasks:\n    - command: { cmd: "caf'), Buffer.from([0xe9]), Buffer.from('" }\n')]));
    refusedQuickly(() => readPlaybook(file), file, [3, 27], /not UTF-8 text \(byte 0xe9\)/);
  });
  for (const c of cases) {
    it(`${c.name}: an InputError within a second`, () => {
      const started = performance.now();
      firstError(() => (c.isInventory ? loadInventory(c.file) : readPlaybook(c.file)));
      assert.ok(performance.now() - started < 1000, `took ${Math.round(performance.now() - started)} ms`);
    });
  }
  it('a 50 MB playbook is refused by its size before it is parsed', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tend-big-')), 'big.yml');
    writeFileSync(file, `- hosts: all\n  vars:\n    v: "${'x'.repeat(50 * 1024 * 1024)}"\n`);
    const started = performance.now();
    const error = firstError(() => readPlaybook(file));
    assert.match(error.format(), /big\.yml:1:1: file .* is 50\.0 MB; tend reads files up to 4 MB/);
    assert.ok(performance.now() - started < 1000);
  });
});
