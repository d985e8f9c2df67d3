// stat: the `stat` dict tend computes from its probe's output, against Ansible's stat
// module's answer for the same paths at the same moment (test/conformance/stat/record.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { NO_CHANGE, ProbeFailed, probedFrom } from '../../src/module.ts';
import stat from '../../tasks/builtin/stat.ts';
import { out } from './fixtures.ts';

interface Recorded {
  params: Record<string, unknown>;
  probed: { code: number; sections: string[] };
  ansible: Record<string, unknown>;
}
const recorded: Recorded[] = JSON.parse(readFileSync(new URL('../conformance/stat/expected.json', import.meta.url), 'utf8'));

const probeText = (_: 'stat', params: unknown) => (stat.probe(stat.params.parse(params)) as readonly { text: string }[]).map((p) => p.text).join('\n');
// The context argument (what ran, check mode) is not read by stat.
const returns = (params: unknown, probed = out('')) =>
  (stat.returns as (...args: unknown[]) => Record<string, unknown>)(stat.params.parse(params), probed, NO_CHANGE, { check: false });

describe('stat returns what Ansible returns', () => {
  for (const r of recorded) {
    it(`${JSON.stringify(r.params)}`, () => {
      const got = returns(r.params, probedFrom(r.probed.sections, r.probed.code));
      assert.deepEqual(got, { stat: r.ansible });
    });
  }
  it('the recorded cases cover a file, links (followed, broken), a directory, setuid, a fifo, a device, a missing path', () => {
    const kinds = recorded.map((r) => r.ansible);
    for (const key of ['isreg', 'islnk', 'isdir', 'isfifo', 'ischr', 'isuid']) assert.ok(kinds.some((s) => s[key] === true), key);
    assert.ok(kinds.some((s) => s.exists === false));
  });
});

describe('stat parameters and probe', () => {
  it("takes Ansible's aliases, and refuses one parameter given under two names", () => {
    const p = stat.params.parse({ dest: '/etc/hosts', checksum: 'sha256', mime: false, attr: false });
    assert.deepEqual(p, { path: '/etc/hosts', follow: false, get_checksum: true, checksum_algorithm: 'sha256', get_md5: false, get_mime: false, get_attributes: false });
    assert.equal(stat.params.safeParse({ path: '/a', name: '/b' }).success, false);
    assert.equal(stat.params.safeParse({}).success, false);
    assert.equal(stat.params.safeParse({ path: '/a', checksum_algorithm: 'crc32' }).success, false);
  });
  it('is read-only, changes nothing, and reads the checksum with the algorithm asked', () => {
    assert.equal(stat.checkMode, 'read-only');
    assert.deepEqual(stat.plan(stat.params.parse({ path: '/x' }), out('exists=no\n', '', '', '/x')), NO_CHANGE);
    assert.match(probeText('stat', { path: '/etc/x', checksum_algorithm: 'sha512' }), /sha512sum < "\$p"/);
    assert.doesNotMatch(probeText('stat', { path: '/etc/x', get_checksum: false }), /sum </);
    assert.doesNotMatch(probeText('stat', { path: '/etc/x', get_mime: false, get_attributes: false }), /file -b|lsattr/);
    assert.match(probeText('stat', { path: '/etc/x', follow: true }), /stat -L -c/);
  });
  it('a value reaches the shell quoted; ~ is the home of the connecting user', () => {
    const text = probeText('stat', { path: "~/a'b $(x)" });
    assert.ok(text.includes(`p='~/a'"'"'b $(x)'`));
    assert.ok(text.includes(`'~/'*) p=$HOME/\${p#'~/'}`));
  });
  it("a missing path is {exists: false}; a probe that failed (no permission on the way) is the module's failure", () => {
    assert.deepEqual(returns({ path: '/nope' }, out('exists=no\n', '', '', '/nope')), { stat: { exists: false } });
    assert.throws(() => returns({ path: '/root/x' }, probedFrom(['', '', '', '/root/x'], 1, "stat: cannot statx '/root/x': Permission denied\n")), (e) => e instanceof ProbeFailed && /Permission denied/.test(e.message));
  });
  it('a link target with a newline, and the device number of /dev/sda1 (8:1)', () => {
    const main = 'stat=a1ff 0 0 3 12 2049 1 1.5 2.25 3.000000001 0 4096 0 0\nreadable=yes\n';
    const s = returns({ path: '/l' }, out(main, 'a\nb\n', '/x/a\nb\n', '/l')).stat as Record<string, unknown>;
    assert.equal(s.lnk_target, 'a\nb');
    assert.equal(s.lnk_source, '/x/a\nb');
    assert.equal(s.mode, '0777');
    assert.equal(s.ctime, 3.000000001);
    const dev = returns({ path: '/dev/sda1' }, out('stat=61b0 0 6 0 300 5 1 0.0 0.0 0.0 0 4096 8 1\n', '', '', '/dev/sda1')).stat as Record<string, unknown>;
    assert.equal(dev.device_type, 2049);
    assert.equal(dev.isblk, true);
    assert.equal(dev.mode, '0660');
  });
});
