// blockinfile's plan beyond Ansible's answers (lineinfile-conformance.test.ts): its
// parameters, returns(), a second run, and the places Ansible itself fails.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProbeFailed, probedFrom } from '../../src/module.ts';
import blockinfile from '../../tasks/builtin/blockinfile.ts';

const PATH = '/etc/app.conf';

function probed(text: string | null) {
  const head = text === null ? 'missing' : 'regular file|root|root|644';
  const b64 = text === null ? '' : Buffer.from(text, 'utf8').toString('base64');
  return probedFrom([`${head}\n${b64}\n0022|root|root\n${PATH}\n`]);
}

function written(plan: { commands: readonly { text: string }[] }): string | null {
  for (const c of plan.commands) {
    const m = /printf '%s' '?([A-Za-z0-9+/=]*)'? \| base64 -d > new/.exec(c.text);
    if (m) return Buffer.from(m[1]!, 'base64').toString('utf8');
  }
  return null;
}

const parse = (p: Record<string, unknown>) => blockinfile.params.parse({ path: PATH, ...p });
const problems = (p: Record<string, unknown>) => {
  const r = blockinfile.params.safeParse({ path: PATH, ...p });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const result = (p: ReturnType<typeof parse>, text: string | null) => {
  const pr = probed(text);
  const plan = blockinfile.plan(p, pr);
  return (blockinfile.returns as (...a: unknown[]) => Record<string, unknown>)(p, pr, plan, { check: false });
};

describe('blockinfile', () => {
  it('block has the alias content; both at once, or both insert positions, are refused', () => {
    assert.equal(written(blockinfile.plan(parse({ content: 'x' }), probed('a\n'))), 'a\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n');
    assert.deepEqual(problems({ block: 'x', content: 'y' }), ['content: parameters are mutually exclusive: block|content']);
    assert.deepEqual(problems({ block: 'x', insertafter: 'a', insertbefore: 'b' }), ['insertbefore: parameters are mutually exclusive: insertbefore|insertafter']);
    assert.deepEqual(problems({ block: 'x', validate: 'true %s' }), ["validate: not supported: tend's blockinfile does not run validate commands"]);
    assert.deepEqual(problems({ block: 'x', insertafter: 'a{2}+' }), ["insertafter: a possessive quantifier (at position 4) has no faithful translation to tend's regular expressions"]);
  });

  it('marker_begin and marker_end are ASCII: Ansible writes them as latin1, which no UTF-8 file wants', () => {
    assert.deepEqual(problems({ block: 'x', marker_begin: 'DÉBUT' }), ['marker_begin: ASCII only (Ansible writes it as latin1, not UTF-8)']);
    assert.deepEqual(problems({ block: 'x', marker: '# {mark} é' }), [], 'the marker itself is UTF-8');
  });

  it('the second run changes nothing, whatever the insert position', () => {
    for (const at of [{}, { insertbefore: 'BOF' }, { insertafter: '^a' }, { insertbefore: '(?m)^b$' }]) {
      const p = parse({ block: 'one\ntwo', ...at });
      const once = written(blockinfile.plan(p, probed('a\nb\n')))!;
      assert.deepEqual(blockinfile.plan(p, probed(once)), { changes: [], commands: [] }, JSON.stringify(at));
    }
  });

  it('returns Ansible’s messages, and backup_file when a backup is made', () => {
    assert.deepEqual(result(parse({ block: 'x' }), 'a\n'), { changed: true, msg: 'Block inserted' });
    assert.deepEqual(result(parse({ block: 'x', create: true }), null), { changed: true, msg: 'File created' });
    assert.deepEqual(result(parse({ state: 'absent' }), 'a\n'), { changed: false, msg: '' });
    assert.deepEqual(result(parse({ state: 'absent', create: true }), null), { changed: false, msg: `File ${PATH} not present` });
    const r = result(parse({ block: 'x', backup: true }), 'a\n');
    assert.match(String(r.backup_file), /^\/etc\/app\.conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
  });

  it('a missing file without create fails as Ansible does, state absent included', () => {
    assert.throws(() => blockinfile.plan(parse({ block: 'x' }), probed(null)), (e: Error) => e instanceof ProbeFailed && e.message === `Path ${PATH} does not exist !`);
    assert.throws(() => blockinfile.plan(parse({ state: 'absent' }), probed(null)), ProbeFailed);
  });

  it('a MULTILINE insertafter that ends past the last line fails, where Ansible fails', () => {
    assert.throws(() => blockinfile.plan(parse({ block: 'x', insertafter: '(?m)b\\n' }), probed('a\nb\n')), /past the end of the file/);
  });
});
