// replace's plan beyond Ansible's answers (lineinfile-conformance.test.ts): patterns and
// replacements checked when the playbook is read, after/before, encoding, returns().
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProbeFailed, probedFrom } from '../../src/module.ts';
import replace from '../../tasks/builtin/replace.ts';

const PATH = '/etc/app.conf';

function probed(bytes: string | null, stat = 'regular file|root|root|644') {
  const head = bytes === null ? 'missing' : stat;
  const b64 = bytes === null ? '' : Buffer.from(bytes, 'latin1').toString('base64');
  return probedFrom([`${head}\n${b64}\n0022|root|root\n${PATH}\n`]);
}
const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

function written(plan: { commands: readonly { text: string }[] }): string | null {
  for (const c of plan.commands) {
    const m = /printf '%s' '?([A-Za-z0-9+/=]*)'? \| base64 -d > new/.exec(c.text);
    if (m) return Buffer.from(m[1]!, 'base64').toString('utf8');
  }
  return null;
}

const parse = (p: Record<string, unknown>) => replace.params.parse({ path: PATH, ...p });
const problems = (p: Record<string, unknown>) => {
  const r = replace.params.safeParse({ path: PATH, ...p });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const result = (p: ReturnType<typeof parse>, pr: ReturnType<typeof probed>) =>
  (replace.returns as (...a: unknown[]) => Record<string, unknown>)(p, pr, replace.plan(p, pr), { check: false });

describe('replace', () => {
  it('a replacement naming a group the pattern lacks is an input error, as Python refuses it before matching', () => {
    assert.deepEqual(problems({ regexp: '(a)', replace: '\\2' }), ['replace: invalid group reference 2 in the replacement "\\\\2"']);
    assert.deepEqual(problems({ regexp: '(?P<k>a)', replace: '\\g<v>' }), ["replace: unknown group name 'v' in the replacement \"\\\\g<v>\""]);
    assert.deepEqual(problems({ regexp: 'a', replace: '\\q' }), ['replace: bad escape \\q in the replacement "\\\\q"']);
    assert.deepEqual(problems({ regexp: '(?>a)' }), ["regexp: an atomic group (?>…) (at position 3) has no faithful translation to tend's regular expressions"]);
    assert.deepEqual(problems({ regexp: '{{ pattern }}', replace: '\\9' }), [], 'templates wait for the host');
  });

  it('after and before are checked as the one pattern Ansible makes of them', () => {
    assert.deepEqual(problems({ regexp: 'a', after: '(?P<subsection>x)' }), [
      "after: after/before (as (?P<subsection>x)(?P<subsection>.*)): redefinition of group name 'subsection' as group 2; was group 1 at position 21",
    ]);
  });

  it('only utf-8; a file that is not UTF-8 fails rather than be rewritten', () => {
    assert.deepEqual(problems({ regexp: 'a', encoding: 'latin-1' }), ['encoding: encoding: tend reads and writes utf-8 only']);
    assert.deepEqual(problems({ regexp: 'a', encoding: 'UTF8' }), []);
    assert.throws(() => replace.plan(parse({ regexp: 'a' }), probed('caf\xe9 a\n')), /is not valid UTF-8/);
  });

  it('Unicode text: classes are Unicode, the file is written back as UTF-8', () => {
    const plan = replace.plan(parse({ regexp: '(\\w+)é\\b', replace: '[\\1]' }), probed(utf8('café thé\n')));
    assert.equal(written(plan), '[caf] [th]\n');
  });

  it('after/before that find nothing: unchanged, owner and mode left too (Ansible stops there)', () => {
    const p = parse({ regexp: 'a', replace: 'b', after: 'nope', mode: '0600' });
    assert.deepEqual(replace.plan(p, probed('a\n')), { changes: [], commands: [] });
    assert.deepEqual(result(p, probed('a\n')), { changed: false, msg: 'Pattern for before/after params did not match the given file: nope(?P<subsection>.*)', rc: 0 });
  });

  it('returns rc 0, the count, attributes and backup_file as Ansible does', () => {
    assert.deepEqual(result(parse({ regexp: 'a', replace: 'b' }), probed('a a\n')), { changed: true, msg: '2 replacements made', rc: 0 });
    assert.deepEqual(result(parse({ regexp: 'a', replace: 'b', mode: '0600' }), probed('a\n')), {
      changed: true,
      msg: '1 replacements made and ownership, perms or SE linux context changed',
      rc: 0,
    });
    assert.match(String(result(parse({ regexp: 'a', replace: 'b', backup: true }), probed('a\n')).backup_file), /^\/etc\/app\.conf\.\d+\..*~$/);
  });

  it('a missing file fails as Ansible does (a ProbeFailed: an earlier task may make it)', () => {
    assert.throws(() => replace.plan(parse({ regexp: 'a' }), probed(null)), (e: Error) => e instanceof ProbeFailed && e.message === `Path ${PATH} does not exist !`);
  });
});
