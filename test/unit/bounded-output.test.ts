import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CappedBuffer, HeadTailBuffer, RunOutput, OutputTooLarge, withGap, WHOLE_OUTPUT_CAP } from '../../src/transport/bounded-output.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Feeds `whole` in chunks of the given sizes (the rest in one). */
function feed(buffer: HeadTailBuffer, whole: Buffer, sizes: number[]): void {
  let at = 0;
  for (const size of sizes) {
    if (at >= whole.length) break;
    buffer.push(whole.subarray(at, at + size));
    at += size;
  }
  if (at < whole.length) buffer.push(whole.subarray(at));
}

describe('head and tail of an output', () => {
  it('keeps the first and last bytes, counts the ones between, digests all of them — for any chunking', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 70 }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (bytes, sizes, headBytes, tailBytes) => {
          const whole = Buffer.from(bytes);
          const buffer = new HeadTailBuffer(headBytes, tailBytes);
          feed(buffer, whole, sizes);
          const kept = buffer.finish();
          const head = whole.subarray(0, headBytes);
          const tail = whole.subarray(Math.max(head.length, whole.length - tailBytes));
          assert.deepEqual(kept.bytes, Buffer.concat([head, tail]));
          assert.equal(kept.total, whole.length);
          assert.equal(kept.dropped, whole.length - head.length - tail.length);
          assert.equal(kept.tailStart, head.length);
          assert.equal(kept.sha256, sha256(whole));
        },
      ),
    );
  });

  it('an output that fits is kept whole and shown as it is', () => {
    const buffer = new HeadTailBuffer(8, 8);
    buffer.push(Buffer.from('hello\n'));
    const kept = buffer.finish();
    assert.equal(kept.dropped, 0);
    assert.equal(withGap(kept), 'hello\n');
  });

  it('shows the gap as a line that says how many bytes it hides', () => {
    const buffer = new HeadTailBuffer(4, 3);
    buffer.push(Buffer.from('abcd'));
    buffer.push(Buffer.alloc(1000, 'x'));
    buffer.push(Buffer.from('end'));
    assert.equal(withGap(buffer.finish()), 'abcd\n… 1000 bytes not shown …\nend');
  });

  it('memory does not grow with the output: 200 MB through it keeps 128 KiB', () => {
    const buffer = new HeadTailBuffer();
    const chunk = randomBytes(1024 * 1024);
    const hash = createHash('sha256');
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 200; i++) {
      buffer.push(chunk);
      hash.update(chunk);
    }
    const kept = buffer.finish();
    assert.equal(kept.bytes.length, 128 * 1024);
    assert.equal(kept.dropped, 200 * 1024 * 1024 - 128 * 1024);
    assert.equal(kept.sha256, hash.digest('hex'));
    assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024);
  });

  it('two outputs group by their digest: same bytes same digest, one byte apart different', () => {
    const a = new HeadTailBuffer(2, 2);
    const b = new HeadTailBuffer(2, 2);
    const c = new HeadTailBuffer(2, 2);
    a.push(Buffer.from('ab-middle-yz'));
    b.push(Buffer.from('ab-mid'));
    b.push(Buffer.from('dle-yz'));
    c.push(Buffer.from('ab-muddle-yz'.slice(0, 12)));
    const [ka, kb, kc] = [a.finish(), b.finish(), c.finish()];
    assert.deepEqual(ka.bytes, kc.bytes, 'head and tail alone would not tell them apart');
    assert.equal(ka.sha256, kb.sha256);
    assert.notEqual(ka.sha256, kc.sha256);
  });
});

describe('an output read whole, up to a cap', () => {
  it('keeps every byte up to the cap', () => {
    const buffer = new CappedBuffer(10);
    assert.equal(buffer.push(Buffer.from('12345')), true);
    assert.equal(buffer.push(Buffer.from('67890')), true);
    assert.equal(buffer.exceeded, false);
    assert.equal(buffer.finish().toString(), '1234567890');
  });

  it('past the cap it keeps nothing and says so', () => {
    const buffer = new CappedBuffer(10);
    buffer.push(Buffer.from('12345'));
    assert.equal(buffer.push(Buffer.from('678901')), false);
    assert.equal(buffer.exceeded, true);
    assert.equal(buffer.push(Buffer.from('x')), false);
    assert.equal(buffer.finish().length, 0);
  });

  it('a run read whole that passes the cap fails clearly, naming it', () => {
    const output = new RunOutput('whole');
    assert.equal(output.stdout(Buffer.alloc(WHOLE_OUTPUT_CAP)), true);
    assert.equal(output.overflow('web1'), undefined);
    assert.equal(output.stdout(Buffer.from('!')), false);
    const error = output.overflow('web1');
    assert.ok(error instanceof OutputTooLarge);
    assert.match(error.message, /^web1: probe output exceeded 16777216 bytes/);
  });

  it('a run kept as head and tail never fails, and carries what was kept', () => {
    const output = new RunOutput('head-and-tail');
    assert.equal(output.stdout(Buffer.alloc(WHOLE_OUTPUT_CAP + 1, 'a')), true);
    output.stderr(Buffer.from('oops\n'));
    assert.equal(output.overflow('web1'), undefined);
    const { stdout, stderr, kept } = output.finish();
    assert.equal(stdout.length, 128 * 1024);
    assert.equal(kept!.stdout.dropped, WHOLE_OUTPUT_CAP + 1 - 128 * 1024);
    assert.equal(stderr.toString(), 'oops\n');
  });
});
