import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { applyScript, batchProbeScript, parseBatchOutput } from '../../src/engine/batch.ts';
import { sh } from '../../src/shell.ts';

// The scripts run in a real /bin/sh here: the framing must survive real output.
function runScript(text: string): { code: number; stdout: Buffer } {
  try {
    return { code: 0, stdout: execFileSync('/bin/sh', ['-s'], { input: text }) };
  } catch (e) {
    const err = e as { status: number; stdout: Buffer };
    return { code: err.status, stdout: err.stdout };
  }
}

describe('batched probes', () => {
  it('returns each probe’s exit code, stdout and stderr, byte-exact', () => {
    const probes = [
      sh`printf 'a\\n\\n\\n'`,
      sh`echo oops >&2; exit 3`,
      sh`printf '@@tend-probe 9 9 9 9\\n'; printf 'no newline'`,
      sh`printf 'caf\\303\\251\\n'`,
    ];
    const out = runScript(batchProbeScript(probes).text);
    const results = parseBatchOutput(out.stdout, probes.length);
    assert.deepEqual(results[0], { code: 0, stdout: 'a\n\n\n', stderr: '' });
    assert.deepEqual(results[1], { code: 3, stdout: '', stderr: 'oops\n' });
    assert.deepEqual(results[2], { code: 0, stdout: '@@tend-probe 9 9 9 9\nno newline', stderr: '' });
    assert.equal(results[3]!.stdout, 'café\n');
  });
  it('a probe that exits does not end the batch', () => {
    const out = runScript(batchProbeScript([sh`exit 1`, sh`echo still`]).text);
    assert.equal(parseBatchOutput(out.stdout, 2)[1]!.stdout, 'still\n');
  });
  it('garbled output is an error, not a guess', () => {
    assert.throws(() => parseBatchOutput(Buffer.from('hello\n'), 1), /garbled/);
    assert.throws(() => parseBatchOutput(Buffer.from(''), 1), /expected 1 probe results/);
  });
});

describe('apply script', () => {
  it('stops at the first failing command, even inside an && chain', () => {
    const out = runScript(applyScript([sh`echo one`, sh`false && echo never`, sh`echo three`]).text);
    assert.equal(out.code, 1);
    assert.equal(out.stdout.toString(), 'one\n');
  });
});
