// test/summary.sh: the closing line of `npm test` and the status it ends with, from the
// counts node:test's spec reporter prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'tend-summary-'));
const SCRIPT = new URL('../summary.sh', import.meta.url).pathname;

/** The runner's closing counts, as the spec reporter prints them. */
function log(counts: { pass: number; fail: number; skipped: number; todo: number; cancelled?: number }): string {
  const file = join(dir, `${Object.values(counts).join('-')}.log`);
  const { pass, fail, skipped, todo, cancelled = 0 } = counts;
  writeFileSync(file, `✔ a test (1ms)\nℹ tests ${pass + fail + skipped + todo}\nℹ suites 1\nℹ pass ${pass}\nℹ fail ${fail}\nℹ cancelled ${cancelled}\nℹ skipped ${skipped}\nℹ todo ${todo}\nℹ duration_ms 12.5\n`);
  return file;
}

function summary(file: string, status: number, ci: boolean) {
  const env = { PATH: process.env.PATH!, ...(ci ? { CI: 'true' } : {}) };
  const r = spawnSync('bash', [SCRIPT, file, String(status)], { encoding: 'utf8', env });
  return { line: r.stdout.trim(), status: r.status };
}

describe('the closing line of npm test', () => {
  it('always shows skipped and todo counts', () => {
    assert.deepEqual(summary(log({ pass: 600, fail: 0, skipped: 0, todo: 0 }), 0, false), { line: '600 passed, 0 failed, 0 skipped, 0 todo', status: 0 });
    assert.deepEqual(summary(log({ pass: 598, fail: 0, skipped: 2, todo: 0 }), 0, false), { line: '598 passed, 0 failed, 2 skipped, 0 todo', status: 0 });
  });
  it('under CI=true a skipped or todo test fails a run that was green', () => {
    const skipped = summary(log({ pass: 598, fail: 0, skipped: 2, todo: 0 }), 0, true);
    assert.equal(skipped.status, 1);
    assert.match(skipped.line, /^598 passed, 0 failed, 2 skipped, 0 todo \(CI: skipped and todo tests fail the run/);
    assert.equal(summary(log({ pass: 599, fail: 0, skipped: 0, todo: 1 }), 0, true).status, 1);
    assert.deepEqual(summary(log({ pass: 600, fail: 0, skipped: 0, todo: 0 }), 0, true), { line: '600 passed, 0 failed, 0 skipped, 0 todo', status: 0 });
  });
  it('keeps the runner’s failing status, and says when a file failed outside its tests', () => {
    assert.deepEqual(summary(log({ pass: 5, fail: 1, skipped: 0, todo: 0 }), 1, true), { line: '5 passed, 1 failed, 0 skipped, 0 todo', status: 1 });
    assert.deepEqual(summary(log({ pass: 5, fail: 0, skipped: 0, todo: 0 }), 1, false), {
      line: '5 passed, 0 failed, 0 skipped, 0 todo (a test file failed outside its tests: see ✖ above)',
      status: 1,
    });
    assert.deepEqual(summary(log({ pass: 5, fail: 0, skipped: 0, todo: 0, cancelled: 2 }), 1, false), { line: '5 passed, 0 failed, 0 skipped, 0 todo, 2 cancelled', status: 1 });
  });
});
