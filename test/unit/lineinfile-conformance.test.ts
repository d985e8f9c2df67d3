// Ansible as the oracle for lineinfile, blockinfile and replace: every case of
// test/conformance/lineinfile/cases.json (recorded by record.py from ansible-core 2.14's
// own modules) is replayed through tend's module: the recorded file becomes the probe's
// output, the plan's new content is compared byte for byte with the file Ansible left,
// and returns() with Ansible's changed and msg; a case Ansible failed must fail here.
// regex.json holds Python's `re` answers, compared with tasks/lib/python-regex.ts; the
// patterns tend refuses on purpose are listed below with why.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { probedFrom, type TaskModule } from '../../src/module.ts';
import blockinfile from '../../tasks/builtin/blockinfile.ts';
import lineinfile from '../../tasks/builtin/lineinfile.ts';
import replace from '../../tasks/builtin/replace.ts';
import { compilePython, search, subn, toBytes } from '../../tasks/lib/python-regex.ts';

const HERE = join(import.meta.dirname, '..', 'conformance', 'lineinfile');
const PATH = '/etc/tend-case.conf';

interface Case {
  module: 'lineinfile' | 'blockinfile' | 'replace';
  name: string;
  initial: string | null;
  params: Record<string, unknown>;
  check: boolean;
  content: string | null;
  changed: boolean;
  failed: boolean;
  msg: string;
  backup?: boolean;
  /** The file's mode afterwards (the replay's file is 0644, as Ansible's was). */
  mode: string | null;
}

const MODULES: Record<Case['module'], TaskModule> = { lineinfile, blockinfile, replace } as Record<Case['module'], TaskModule>;

/** What the probe prints for a file with this content (or no file). */
function probedFile(content: string | null, path = PATH) {
  const head = content === null ? 'missing' : `${content === '' ? 'regular empty file' : 'regular file'}|root|root|644`;
  const b64 = content === null ? '' : Buffer.from(content, 'utf8').toString('base64');
  return probedFrom([`${head}\n${b64}\n0022|root|root\n${path}\n`]);
}

/** The plan's new content, read back from the write command's base64. */
function writtenBy(commands: readonly { text: string }[]): string | null {
  for (const c of commands) {
    const m = /printf '%s' '?([A-Za-z0-9+/=]*)'? \| base64 -d > new/.exec(c.text);
    if (m) return Buffer.from(m[1]!, 'base64').toString('utf8');
  }
  return null;
}

/** The mode the plan's commands leave: the one they set, else the file's (0644), else none. */
function modeAfter(commands: readonly { text: string }[], initial: string | null): string | null {
  for (const c of commands) {
    const m = /chmod (?:-- )?(\d{4}) (?:new|it)\b/.exec(c.text);
    if (m) return m[1]!;
  }
  return initial === null ? null : '0644';
}

const cases = JSON.parse(readFileSync(join(HERE, 'cases.json'), 'utf8')) as Case[];

describe('lineinfile, blockinfile and replace agree with ansible-core 2.14', () => {
  let equal = 0;
  for (const c of cases) {
    it(`${c.module}: ${c.name}`, () => {
      const module = MODULES[c.module];
      const params = module.params.parse({ path: PATH, ...c.params });
      const probed = probedFile(c.initial);
      if (c.failed) {
        assert.throws(() => module.plan(params, probed), (e: Error) => e.message === c.msg.replaceAll('{path}', PATH));
        equal += 1;
        return;
      }
      const plan = module.plan(params, probed);
      const written = writtenBy(plan.commands);
      const returns = module.returns as (...args: unknown[]) => Record<string, unknown>;
      const result = returns(params, probed, plan, { check: c.check });
      assert.equal(result.msg, c.msg.replaceAll('{path}', PATH), 'msg');
      assert.equal(result.changed, c.changed, 'changed');
      assert.equal(plan.commands.length > 0, c.changed, 'commands only when changed');
      // In check mode Ansible leaves the file; the plan says what it would write.
      if (!c.check) {
        assert.equal(written ?? c.initial, c.content, 'content');
        assert.equal(modeAfter(plan.commands, c.initial), c.mode, 'mode');
      } else assert.equal(c.content, c.initial);
      assert.equal(Boolean(result.backup || result.backup_file), Boolean(c.backup), 'backup');
      equal += 1;
    });
  }
  it('summary', () => {
    console.log(`# lineinfile conformance: ${equal}/${cases.length} cases equal to Ansible`);
  });
});

interface RegexCase {
  mode: 'bytes' | 'str';
  pattern: string;
  multiline: boolean;
  dotall: boolean;
  subject: string;
  template?: string;
  match?: { span: [number, number]; groups: (string | null)[] } | null;
  result?: string;
  count?: number;
  error?: string;
  /** A random pattern (record.py's fuzz_cases): tend may refuse it, naming the construct. */
  fuzz?: boolean;
}

/** Patterns Python accepts that tend refuses, naming the construct: no faithful JavaScript form. */
const REFUSED = new Map([
  ['a++', 'possessive quantifier'],
  ['(?>a)', 'atomic group'],
  ['(?i:a)b', 'scoped case-insensitivity flag'],
  ['(a)?\\1', 'back-reference to group 1, which may not take part'],
  ['(?:(a)|b)+', 'repeated group holding a group that may be skipped'],
  ['(?L)a', 'LOCALE flag'],
]);

describe("Python's re, as tend translates it", () => {
  const regex = JSON.parse(readFileSync(join(HERE, 'regex.json'), 'utf8')) as RegexCase[];
  let equal = 0;
  let refusedCount = 0;
  for (const c of regex) {
    it(`${c.mode} ${JSON.stringify(c.pattern)} on ${JSON.stringify(c.subject)}${c.template !== undefined ? ` → ${JSON.stringify(c.template)}` : ''}`, () => {
      const run = () => {
        const re = compilePython(c.pattern, c.mode, { multiline: c.multiline, dotall: c.dotall });
        if (c.template !== undefined) return { result: subn(re, c.template, c.subject) };
        const m = search(re, c.mode === 'bytes' ? toBytes(c.subject) : c.subject);
        return { match: m === null ? null : { span: [m.index, m.index + m[0].length], groups: m.slice(1).map((g) => g ?? null) } };
      };
      const refused = REFUSED.get(c.pattern);
      if (refused !== undefined) {
        assert.throws(run, (e: Error) => e.message.includes(refused) && e.message.includes('no faithful translation'));
        refusedCount += 1;
        return;
      }
      if (c.fuzz && c.error === undefined) {
        try {
          run();
        } catch (e) {
          assert.match((e as Error).message, /no faithful translation/);
          refusedCount += 1;
          return;
        }
      }
      if (c.error !== undefined) {
        // Python's own words (and position); a replacement's error names the replacement
        // instead of a position; a construct tend refuses anyway may be refused first.
        const error = c.error;
        assert.throws(run, (e: Error) =>
          e.message.includes('no faithful translation') || (c.template === undefined ? e.message === error : e.message.startsWith(error.replace(/ at position \d+$/, ''))),
        );
        equal += 1;
        return;
      }
      const got = run();
      if (c.template !== undefined) assert.deepEqual(got, { result: [c.result, c.count] });
      else assert.deepEqual(got, { match: c.match });
      equal += 1;
    });
  }
  it('summary', () => {
    console.log(`# python re: ${equal} answers equal to Python's (errors included), ${refusedCount} refused by name, of ${regex.length}`);
  });
});
