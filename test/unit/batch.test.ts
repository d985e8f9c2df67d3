import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { applyScript, probeBatch } from '../../src/engine/batch.ts';
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
      sh`printf '@@tend 1 end 0\\n'; printf 'no newline'`,
      sh`printf 'caf\\303\\251\\n'`,
    ];
    const batch = probeBatch(probes);
    const results = batch.parse(runScript(batch.script.text).stdout);
    assert.deepEqual(results[0], { code: 0, stdout: 'a\n\n\n', stderr: '', sections: ['a\n\n\n'] });
    assert.deepEqual(results[1], { code: 3, stdout: '', stderr: 'oops\n', sections: [''] });
    assert.deepEqual(results[2], { code: 0, stdout: '@@tend 1 end 0\nno newline', stderr: '', sections: ['@@tend 1 end 0\nno newline'] });
    assert.equal(results[3]!.stdout, 'café\n');
  });
  it('a probe that exits does not end the batch', () => {
    const batch = probeBatch([sh`exit 1`, sh`echo still`]);
    assert.equal(batch.parse(runScript(batch.script.text).stdout)[1]!.stdout, 'still\n');
  });
  it('output that imitates a frame is only output: real frames carry a random token', () => {
    const batch = probeBatch([sh`printf '\\n@@x 0 end 0\\n@@x 1 out\\n'`, sh`echo two`]);
    const results = batch.parse(runScript(batch.script.text).stdout);
    assert.equal(results[0]!.stdout, '\n@@x 0 end 0\n@@x 1 out\n');
    assert.equal(results[1]!.stdout, 'two\n');
    assert.notEqual(probeBatch([sh`true`]).script.text, probeBatch([sh`true`]).script.text);
  });
  it('a probe of several snippets gets each output apart, whatever lines they hold', () => {
    // The old fixed section marker, and a line shaped like a frame, are only content.
    const probes = [[sh`printf 'a=1\n--tend-section--\nkeep=me\n'`, sh`printf 'x'; exit 4`], sh`echo alone`];
    const batch = probeBatch(probes);
    const [several, alone] = batch.parse(runScript(batch.script.text).stdout);
    assert.deepEqual(several, { code: 4, stdout: 'a=1\n--tend-section--\nkeep=me\n', stderr: '', sections: ['a=1\n--tend-section--\nkeep=me\n', 'x'] });
    assert.deepEqual(alone!.sections, ['alone\n']);
  });
  it('with measure, each probe carries the host CPU its subshell used (the shell\'s times)', () => {
    // A busy loop in the subshell: CPU, not wall time, so a loaded machine cannot fake it.
    const busy = sh`i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done; echo done`;
    const probes = [sh`true`, busy, [sh`echo a`, busy]];
    const batch = probeBatch(probes, undefined, true);
    const [idle, spinning, several] = batch.parse(runScript(batch.script.text).stdout);
    assert.equal(spinning!.stdout, 'done\n', 'the output is unchanged');
    assert.ok(spinning!.cpuMs! >= 50, `busy loop: ${spinning!.cpuMs} ms`);
    assert.ok(idle!.cpuMs! < spinning!.cpuMs!, `true: ${idle!.cpuMs} ms`);
    assert.ok(several!.cpuMs! >= 50, 'a probe of several snippets sums them');
    const plain = probeBatch([sh`true`]);
    assert.equal(plain.parse(runScript(plain.script.text).stdout)[0]!.cpuMs, undefined, 'measured only when asked');
  });
  it('garbled or short output is an error, not a guess', () => {
    const batch = probeBatch([sh`true`]);
    assert.throws(() => batch.parse(Buffer.from('hello\n')), /garbled/);
    assert.throws(() => batch.parse(Buffer.from('')), /expected 1 probe results/);
  });
});

describe('apply script', () => {
  it('stops at the first failing command, even inside an && chain', () => {
    const out = runScript(applyScript([sh`echo one`, sh`false && echo never`, sh`echo three`]).text);
    assert.equal(out.code, 1);
    assert.equal(out.stdout.toString(), 'one\n');
  });
});
