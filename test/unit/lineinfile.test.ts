// lineinfile's plan beyond Ansible's answers (lineinfile-conformance.test.ts): its
// parameters (aliases, refusals by name, Python patterns checked when the playbook is
// read), the probe's output read back (unsafe paths, directories, links, exact bytes),
// owner/group/mode, backups and what returns() says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProbeFailed, probedFrom } from '../../src/module.ts';
import lineinfile from '../../tasks/builtin/lineinfile.ts';

const PATH = '/etc/app.conf';

/** The probe's section for a file of these bytes (latin1: one character per byte). */
function probed(bytes: string | null, o: { stat?: string; umask?: string; resolved?: string; head?: string } = {}) {
  const head = o.head ?? (bytes === null ? 'missing' : (o.stat ?? 'regular file|root|root|644'));
  const b64 = bytes === null ? '' : Buffer.from(bytes, 'latin1').toString('base64');
  return probedFrom([`${head}\n${b64}\n${o.umask ?? '0022'}|root|root\n${o.resolved ?? PATH}\n`]);
}

function written(plan: { commands: readonly { text: string }[] }): string | null {
  for (const c of plan.commands) {
    const m = /printf '%s' '?([A-Za-z0-9+/=]*)'? \| base64 -d > new/.exec(c.text);
    if (m) return Buffer.from(m[1]!, 'base64').toString('latin1');
  }
  return null;
}

const parse = (p: Record<string, unknown>) => lineinfile.params.parse(p);
const problems = (p: Record<string, unknown>) => {
  const r = lineinfile.params.safeParse(p);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const returns = (p: ReturnType<typeof parse>, pr: ReturnType<typeof probed>, check = false) => {
  const plan = lineinfile.plan(p, pr);
  return { plan, result: (lineinfile.returns as (...a: unknown[]) => Record<string, unknown>)(p, pr, plan, { check }) };
};

describe('lineinfile parameters', () => {
  it('path has the aliases dest, destfile and name; one of them is required, once', () => {
    for (const key of ['path', 'dest', 'destfile', 'name']) {
      const plan = lineinfile.plan(parse({ [key]: PATH, line: 'x' }), probed('a\n'));
      assert.equal(written(plan), 'a\nx\n', key);
    }
    assert.deepEqual(problems({ line: 'x' }), [': path is required (aliases: dest, destfile, name)']);
    assert.deepEqual(problems({ path: PATH, dest: PATH, line: 'x' }), ['dest: path and dest are one parameter (path and its aliases): give one']);
    assert.equal(written(lineinfile.plan(parse({ path: PATH, value: 'x', regex: '^a' }), probed('a\n'))), 'x\n', 'value and regex are aliases');
  });

  it('options tend does not have are refused by name, never ignored', () => {
    assert.deepEqual(problems({ path: PATH, line: 'x', validate: 'visudo -cf %s' }), ["validate: not supported: tend's lineinfile does not run validate commands"]);
    assert.deepEqual(problems({ path: PATH, line: 'x', attributes: '+i' }), ['attributes: not supported: tend does not set file attributes (chattr)']);
    assert.deepEqual(problems({ path: PATH, line: 'x', setype: 'etc_t' }), ['setype: not supported: tend does not manage SELinux contexts']);
    assert.deepEqual(problems({ path: PATH, line: 'x', unsafe_writes: true }), ['unsafe_writes: true is not supported: tend always replaces files atomically']);
    assert.deepEqual(problems({ path: PATH, line: 'x', unsafe_writes: false }), []);
  });

  it('Ansible’s required-together and mutually exclusive rules, with its words', () => {
    assert.deepEqual(problems({ path: PATH }), [': line is required with state=present']);
    assert.deepEqual(problems({ path: PATH, state: 'absent' }), [': one of line, search_string, or regexp is required with state=absent']);
    assert.deepEqual(problems({ path: PATH, line: 'x', backrefs: true }), ['backrefs: regexp is required with backrefs=true']);
    assert.deepEqual(problems({ path: PATH, line: 'x', insertafter: 'EOF', insertbefore: 'BOF' }), ['insertafter: parameters are mutually exclusive: insertbefore|insertafter']);
    assert.deepEqual(problems({ path: PATH, line: 'x', regexp: 'a', search_string: 'a' }), ['search_string: parameters are mutually exclusive: regexp|search_string']);
    assert.deepEqual(problems({ path: PATH, line: 'x', mode: '0644', state: 'bogus' }).length, 1);
  });

  it('a pattern Python would refuse, or tend cannot translate, is an input error naming the construct', () => {
    assert.deepEqual(problems({ path: PATH, line: 'x', regexp: 'a++' }), ["regexp: a possessive quantifier (at position 2) has no faithful translation to tend's regular expressions"]);
    assert.deepEqual(problems({ path: PATH, line: 'x', insertafter: '(?>x)' }), ["insertafter: an atomic group (?>…) (at position 3) has no faithful translation to tend's regular expressions"]);
    assert.deepEqual(problems({ path: PATH, line: 'x', insertbefore: '(' }), ['insertbefore: missing ), unterminated subpattern at position 0']);
    assert.deepEqual(problems({ path: PATH, line: 'x', regexp: '(?i:a)' }).length, 1);
    // EOF and BOF are words, not patterns; a template waits for the host's variables.
    assert.deepEqual(problems({ path: PATH, line: 'x', insertafter: 'EOF' }), []);
    assert.deepEqual(problems({ path: PATH, line: 'x', regexp: '{{ pattern }}' }), []);
  });
});

describe('lineinfile plan', () => {
  it('an unsafe path, a directory or a device fails the task, in check mode too', () => {
    const p = parse({ path: PATH, line: 'x' });
    assert.throws(() => lineinfile.plan(p, probedFrom(['unsafe unsafe path: /etc is owned by …\n'])), /^Error: unsafe path: \/etc is owned/);
    assert.throws(() => lineinfile.plan(p, probed(null, { head: 'directory' })), /Path \/etc\/app.conf is a directory !/);
    assert.throws(() => lineinfile.plan(p, probed('', { stat: 'fifo|root|root|644' })), /is a fifo, not a regular file/);
  });

  it('a missing file without create is a ProbeFailed (an earlier task may make it, in check mode)', () => {
    assert.throws(() => lineinfile.plan(parse({ path: PATH, line: 'x' }), probed(null)), (e: Error) => e instanceof ProbeFailed && e.message === `Destination ${PATH} does not exist !`);
  });

  it('bytes that are not UTF-8 stay as they are; only the line changes', () => {
    const plan = lineinfile.plan(parse({ path: PATH, regexp: '^b=', line: 'b=2' }), probed('caf\xe9\nb=1\n\xff\n'));
    assert.equal(written(plan), 'caf\xe9\nb=2\n\xff\n');
  });

  it('a new file gets the umask’s mode and its directories; the message says so when mode differs', () => {
    const p = parse({ path: PATH, line: 'x', create: true, mode: '0600' });
    const { plan, result } = returns(p, probed(null, { umask: '0027' }));
    assert.equal(written(plan), 'x\n');
    assert.match(plan.commands[0]!.text, /tend_chase \/etc\/app.conf 1 1 0/, 'follows a link and makes directories');
    assert.match(plan.commands[0]!.text, /chmod -- 0600 new/);
    assert.deepEqual(result, { changed: true, msg: 'line added and ownership, perms or SE linux context changed', backup: '' });
    assert.equal(returns(p, probed(null, { umask: '0027' }), true).result.msg, 'line added', 'check mode stops before attributes');
    const plain = returns(parse({ path: PATH, line: 'x', create: true }), probed(null, { umask: '0027' })).plan;
    assert.match(plain.commands[0]!.text, /chmod 0640 new/);
  });

  it('owner, group and mode alone are a change of their own, without rewriting the file', () => {
    const { plan, result } = returns(parse({ path: PATH, line: 'a', mode: '0600', owner: 'app' }), probed('a\n'));
    assert.deepEqual(
      plan.changes.map((c) => [c.subject, c.before, c.after]),
      [
        [`${PATH} owner`, 'root', 'app'],
        [`${PATH} mode`, '0644', '0600'],
      ],
    );
    assert.equal(written(plan), null);
    assert.equal(result.msg, 'ownership, perms or SE linux context changed');
    assert.equal(result.changed, true);
  });

  it('content and attributes change together: one diff, then the attribute changes', () => {
    const { plan, result } = returns(parse({ path: PATH, line: 'b', mode: '0600' }), probed('a\n'));
    assert.deepEqual(plan.changes[0], { subject: PATH, kind: 'content', before: 'a\n', after: 'a\nb\n' });
    assert.equal(plan.changes[1]!.subject, `${PATH} mode`);
    assert.equal(result.msg, 'line added and ownership, perms or SE linux context changed');
  });

  it('backup: a hard link to the old file, named as Ansible names it, returned as backup', () => {
    const { plan, result } = returns(parse({ path: PATH, line: 'b', backup: true }), probed('a\n'));
    const name = String(result.backup);
    assert.match(name, /^\/etc\/app\.conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
    assert.ok(plan.commands[0]!.text.includes(`ln -P -- "../$tend_name" "../$tend_name"'${name.slice(PATH.length)}'`), plan.commands[0]!.text);
    assert.equal(returns(parse({ path: PATH, line: 'a', backup: true }), probed('a\n')).result.backup, '', 'no change, no backup');
  });

  it('a link at path is followed: the change names the file it leads to', () => {
    const plan = lineinfile.plan(parse({ path: PATH, line: 'b' }), probed('a\n', { resolved: '/srv/real.conf' }));
    assert.equal(plan.changes[0]!.subject, '/srv/real.conf');
  });

  it('backrefs: a group the pattern does not have fails the task, naming it', () => {
    assert.throws(() => lineinfile.plan(parse({ path: PATH, regexp: '^(a)', line: '\\2', backrefs: true }), probed('a\n')), /invalid group reference 2/);
  });

  it('absent returns how many lines it found; a missing file is "file not present"', () => {
    assert.deepEqual(returns(parse({ path: PATH, state: 'absent', regexp: '^#' }), probed('#a\nb\n#c\n')).result, { changed: true, msg: '2 line(s) removed', backup: '', found: 2 });
    assert.deepEqual(returns(parse({ path: PATH, state: 'absent', line: 'x' }), probed(null)).result, { changed: false, msg: 'file not present', backup: '' });
  });

  it('applied twice, the second plan is empty', () => {
    const p = parse({ path: PATH, regexp: '^Port ', line: 'Port 2222', insertafter: '^#Port' });
    const once = written(lineinfile.plan(p, probed('#Port 22\nListen x\n')))!;
    assert.equal(once, '#Port 22\nPort 2222\nListen x\n');
    assert.deepEqual(lineinfile.plan(p, probed(once)), { changes: [], commands: [] });
  });
});
