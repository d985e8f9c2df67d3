// slurp: its probe run here with `sh -c` on files made for the test (deterministic:
// nothing else touches them), and its answers for what the probe can print.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { NO_CHANGE, ProbeFailed, probedFrom, type Probed } from '../../src/module.ts';
import slurp, { SLURP_CAP } from '../../tasks/builtin/slurp.ts';

const dir = mkdtempSync(join(tmpdir(), 'tend-slurp-'));
after(() => rmSync(dir, { recursive: true }));

function probeHere(params: unknown): Probed {
  const snippets = slurp.probe(slurp.params.parse(params)) as readonly { text: string }[];
  let code = 0;
  const sections = snippets.map((s) => {
    try {
      return execFileSync('sh', ['-c', s.text], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 8 * SLURP_CAP });
    } catch (e) {
      code ||= (e as { status: number }).status;
      return (e as { stdout: string }).stdout;
    }
  });
  return probedFrom(sections, code);
}
const returns = (params: unknown, probed: Probed) =>
  (slurp.returns as (...args: unknown[]) => Record<string, unknown>)(slurp.params.parse(params), probed, NO_CHANGE, { check: false });
const fails = (params: unknown, probed: Probed, message: RegExp) =>
  assert.throws(() => slurp.plan(slurp.params.parse(params), probed), (e) => e instanceof ProbeFailed && message.test(e.message));

describe('slurp', () => {
  it("returns the file's bytes in base64, the encoding and the source, as Ansible does; src or its alias path", () => {
    const bytes = Buffer.from([0, 1, 2, 255, 10, 13, 0x41]);
    const file = join(dir, 'bin');
    writeFileSync(file, bytes);
    assert.deepEqual(returns({ src: file }, probeHere({ src: file })), { content: bytes.toString('base64'), encoding: 'base64', source: file });
    assert.deepEqual(returns({ path: file }, probeHere({ path: file })), { content: bytes.toString('base64'), encoding: 'base64', source: file });
    writeFileSync(join(dir, 'empty'), '');
    assert.equal(returns({ src: join(dir, 'empty') }, probeHere({ src: join(dir, 'empty') })).content, '');
    assert.equal(slurp.checkMode, 'read-only');
    assert.deepEqual(slurp.plan(slurp.params.parse({ src: file }), probeHere({ src: file })), NO_CHANGE);
  });
  it("fails as Ansible's slurp fails: a missing file, a directory, a file it may not read", () => {
    fails({ src: join(dir, 'nope') }, probeHere({ src: join(dir, 'nope') }), /^file not found: \/.*\/nope$/);
    mkdirSync(join(dir, 'sub'));
    fails({ src: join(dir, 'sub') }, probeHere({ src: join(dir, 'sub') }), /^source is a directory and must be a file: /);
    fails({ src: '/root/x' }, probedFrom(['unreadable\n', '/root/x']), /^file is not readable: \/root\/x$/);
  });
  it(`refuses a file over ${SLURP_CAP} bytes, and reads only one byte past the cap of an endless one`, () => {
    const big = join(dir, 'big');
    writeFileSync(big, Buffer.alloc(SLURP_CAP + 1, 0x61));
    fails({ src: big }, probeHere({ src: big }), /larger than slurp reads \(1048576 bytes/);
    writeFileSync(big, Buffer.alloc(SLURP_CAP, 0x61));
    assert.equal(Buffer.from(returns({ src: big }, probeHere({ src: big })).content as string, 'base64').length, SLURP_CAP);
    fails({ src: '/dev/zero' }, probeHere({ src: '/dev/zero' }), /larger than slurp reads/);
  });
  it('refuses src and path together, and neither', () => {
    assert.equal(slurp.params.safeParse({ src: '/a', path: '/a' }).success, false);
    assert.equal(slurp.params.safeParse({}).success, false);
  });
});
