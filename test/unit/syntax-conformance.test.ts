// Each case of test/conformance/syntax/cases.yml through tend's syntax readers
// (src/playbook/syntax/), compared with what ansible-core 2.14's own parsers made of it
// (expected.json, recorded by `python3 test/conformance/record-syntax.py`): the module,
// its arguments with their types, delegate_to, or that both refuse it (for the same
// reason). The few cases where tend differs on purpose or cannot represent Python's
// value are listed below with why, and are checked to still differ.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { InputError } from '../../src/errors.ts';
import { ActionError, parseAction, TASK_ATTRIBUTES } from '../../src/playbook/syntax/action.ts';
import { ArgsError, parseKv, splitArgs } from '../../src/playbook/syntax/kv.ts';
import { readAnsibleYaml } from '../../src/playbook/syntax/yaml11.ts';
import { floatRepr } from '../../src/template/values.ts';

const DIR = new URL('../conformance/syntax/', import.meta.url).pathname;

interface Case {
  id: string;
  kv?: string;
  check_raw?: boolean;
  split?: string;
  task?: string;
  yaml?: string;
  collections?: unknown;
}

interface Recorded {
  value?: unknown;
  action?: string;
  args?: unknown;
  delegate_to?: unknown;
  resolves?: Record<string, string | null>;
  error?: string;
  message?: string;
}

const cases = parse(readFileSync(`${DIR}cases.yml`, 'utf8')) as Case[];
const expected = (JSON.parse(readFileSync(`${DIR}expected.json`, 'utf8')) as { cases: Record<string, Recorded> }).cases;

/** Cases where tend's answer differs from Ansible's, and why. */
const DIFFERENCES: Record<string, string> = {
  'yaml-floats': 'an integral float (1., 1.0, 1.0e+3) is a plain number in JavaScript: tend has 1 where Python has 1.0',
  'yaml-str-tag': "!!float '1' is the number 1 in tend, the float 1.0 in Python",
  'yaml-keys-typed': 'mapping keys YAML reads as booleans, numbers or null are text in tend (Python merges True and 1 into one key)',
  'yaml-duplicate-keys': 'a key given twice in one mapping is refused (Ansible warns and keeps the last); it is nearly always a mistake',
  'yaml-big-int': 'integers past 2^53 lose precision as JavaScript numbers',
  'coll-not-list': 'collections: as one string is refused (Ansible iterates its characters as collection names)',
  'yaml-plus-minus-words': 'a plain - alone in a flow sequence ([+, -]) is refused by the yaml package tend reads with (exit 8 at it); PyYAML reads it as the text "-"',
  'yaml-unsafe-tag': '!unsafe is refused (exit 8 at the tag) until tend can keep a value from being templated',
};

/** The reason Ansible gave, as tend's kinds of refusal name it. */
function kindOf(r: Recorded): string {
  const m = r.message ?? '';
  const table: [RegExp, string][] = [
    [/^Unable to parse argument string/, 'unparsable'],
    [/^failed at splitting arguments/, 'unbalanced'],
    [/has extra params/, 'extra-params'],
    [/^Complex args/, 'complex-args'],
    [/^unexpected parameter type in action/, 'unexpected-type'],
    [/^invalid parameter specified for action/, 'internal-param'],
    [/^couldn't resolve module\/action/, 'unresolved'],
    [/^conflicting action statements/, 'conflicting'],
    [/^no module\/action detected/, 'no-action'],
    [/mutually exclusive/, 'mutually-exclusive'],
    [/is not a valid attribute for a Task/, 'not-attribute'],
    [/^The 'cmd' argument cannot be used/, 'cmd-and-raw'],
  ];
  if (r.error === 'IndexError') return 'module-string';
  if (r.error === 'ConstructorError' || r.error === 'ScannerError' || r.error === 'ParserError') return 'yaml';
  return table.find(([re]) => re.test(m))?.[1] ?? `unknown (${r.error}: ${m})`;
}

/** A value with its Python type spelt out, as the recorder writes it. */
function encode(v: unknown): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? (Number.isSafeInteger(v) ? v + 0 : { int: String(BigInt(v)) }) : { float: floatRepr(v) };
  if (v instanceof Date) return { instant: v.getTime() };
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return v.map(encode);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return { repr: String(v) };
}

/** The recording with dates as instants (a JavaScript Date does not say whether it had a time). */
function comparable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(comparable);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.date === 'string') return { instant: Date.parse(`${o.date}T00:00:00Z`) };
    if (typeof o.datetime === 'string') return { instant: Date.parse(o.datetime.replace(/(\.\d{3})\d+/, '$1')) };
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, comparable(x)]));
  }
  return v;
}

type Answer = { value: unknown } | { action: string; args: unknown; delegate_to?: unknown } | { kind: string; message: string };

function refusal(e: unknown): Answer {
  if (e instanceof ArgsError || e instanceof ActionError) return { kind: e.kind, message: e.message };
  if (e instanceof InputError) return { kind: 'yaml', message: e.message };
  throw e;
}

function tendTask(c: Case, recorded: Recorded): Answer {
  let ds: unknown;
  try {
    ds = readAnsibleYaml('case.yml', c.task).toJS();
  } catch (e) {
    return refusal(e);
  }
  const task = { ...(ds as Record<string, unknown>) };
  if (c.collections !== undefined) {
    if (!Array.isArray(c.collections)) return { kind: 'collections', message: 'collections: a list of collection names' };
    task.collections = c.collections;
  }
  const resolves = recorded.resolves ?? {};
  try {
    const parsed = parseAction(task, { isModule: (k) => resolves[k] !== null && resolves[k] !== undefined });
    // Task's own check after the action is known: every other key must be a keyword.
    const stray = Object.keys(task).find((k) => k !== parsed.key && (!TASK_ATTRIBUTES.has(k) || k === 'static') && !k.startsWith('with_'));
    if (stray) return { kind: 'not-attribute', message: `'${stray}' is not a keyword of a task` };
    return { action: parsed.action, args: encode(parsed.args), ...(parsed.delegateTo !== undefined ? { delegate_to: encode(parsed.delegateTo) } : {}) };
  } catch (e) {
    return refusal(e);
  }
}

function tendAnswer(c: Case, recorded: Recorded): Answer {
  try {
    if (c.kv !== undefined) return { value: encode(parseKv(c.kv, c.check_raw ?? false)) };
    if (c.split !== undefined) return { value: splitArgs(c.split) };
    if (c.yaml !== undefined) return { value: encode(readAnsibleYaml('case.yml', c.yaml).toJS()) };
  } catch (e) {
    return refusal(e);
  }
  return tendTask(c, recorded);
}

function ansibleAnswer(r: Recorded): Answer {
  if (r.error !== undefined) return { kind: kindOf(r), message: r.message ?? '' };
  if ('value' in r) return { value: comparable(r.value) };
  return { action: r.action!, args: comparable(r.args), ...(r.delegate_to !== undefined ? { delegate_to: r.delegate_to } : {}) };
}

/** Refusals compare by reason; answers compare whole, types included. */
function same(a: Answer, b: Answer): boolean {
  if ('kind' in a || 'kind' in b) return 'kind' in a && 'kind' in b && a.kind === b.kind;
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

describe('syntax as ansible-core 2.14 reads it (test/conformance/syntax)', () => {
  it('every case was recorded, and there are at least 150', () => {
    assert.deepEqual(cases.map((c) => c.id).filter((id) => !(id in expected)), []);
    assert.ok(cases.length >= 150, `${cases.length} cases`);
  });

  let agreed = 0;
  for (const c of cases) {
    const recorded = expected[c.id]!;
    it(`${c.id}${DIFFERENCES[c.id] ? ' (differs on purpose)' : ''}`, () => {
      const ours = tendAnswer(c, recorded);
      const theirs = ansibleAnswer(recorded);
      if (DIFFERENCES[c.id]) {
        assert.ok(!same(ours, theirs), `${c.id} is listed as a difference (${DIFFERENCES[c.id]}) but tend now agrees: take it off the list`);
        return;
      }
      if ('kind' in theirs || 'kind' in ours) assert.deepEqual('kind' in ours ? ours.kind : ours, 'kind' in theirs ? theirs.kind : theirs, `tend: ${JSON.stringify(ours)}\nansible: ${JSON.stringify(theirs)}`);
      else assert.deepStrictEqual(ours, theirs);
      agreed++;
    });
  }

  it('the figure', () => {
    const listed = Object.keys(DIFFERENCES).length;
    assert.equal(agreed + listed, cases.length, `${agreed} agree, ${listed} listed differences, of ${cases.length}`);
  });
});
