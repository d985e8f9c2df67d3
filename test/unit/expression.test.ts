// Expressions (when: and {{ }}) in tend's Jinja2 engine against Jinja2 itself: every
// expression in test/conformance/expressions.json was evaluated by Jinja2 with strict
// undefined variables, as Ansible evaluates conditions (record-expressions.py); tend must
// give the same value, or refuse where Jinja2 raised an error. (These cases were written
// for tend's first, {{ }}-only language; the messages below are now Jinja2's and Ansible's.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { compileExpression, fromJS, TemplateError, truthy, type Lookup } from '../../src/template/index.ts';

const UNDEFINED = undefined;
const ExpressionError = TemplateError;
const evaluate = (expr: string, lookup: Lookup) => compileExpression(expr).evaluate(lookup);
const requiredVariables = (expr: string) => compileExpression(expr).requiredVariables();
const referencedVariables = (expr: string) => compileExpression(expr).referencedVariables();

const recorded = JSON.parse(readFileSync(new URL('../conformance/expected/expressions.json', import.meta.url), 'utf8')) as {
  vars: Record<string, unknown>;
  results: { expr: string; value?: unknown; error?: true }[];
};
const lookup = (name: string) => (Object.hasOwn(recorded.vars, name) ? recorded.vars[name] : UNDEFINED);

describe('expressions as Jinja2 evaluates them', () => {
  for (const r of recorded.results) {
    it(r.expr, () => {
      if (r.error) assert.throws(() => evaluate(r.expr, lookup), ExpressionError);
      else assert.deepEqual(evaluate(r.expr, lookup), r.value);
    });
  }
});

describe('the language, beyond the recorded cases', () => {
  it('says where an undefined variable is, by its path', () => {
    assert.throws(() => evaluate("facts.os.codename == 'bookworm'", lookup), /'dict object' has no attribute 'codename'/);
    assert.throws(() => evaluate('users[5].name', lookup), /'list object' has no element 5/);
  });
  it('short-circuits: the right side of a decided and/or is not read', () => {
    assert.equal(evaluate('missing is defined and missing > 1', lookup), false);
    assert.equal(evaluate("os == 'Debian' or missing", lookup), true);
  });
  it('refuses to order unlike types, and says how to compare numbers written as text', () => {
    assert.throws(() => evaluate('major < version', lookup), /'<' not supported between instances of 'int' and 'str'/);
  });
  it('truth as Jinja2: empty text, list and map, 0 and none are false', () => {
    assert.deepEqual(['', [], {}, 0, null, 'x', [0], { a: 1 }, 1].map((v) => truthy(fromJS(v))), [false, false, false, false, false, true, true, true, true]);
  });
  it('knows which variables an expression needs, and which it only tests', () => {
    assert.deepEqual(requiredVariables("os == 'Debian' and (extra is defined) and (other | default(1)) > 0 and users[idx].name"), ['os', 'users', 'idx']);
    assert.deepEqual(referencedVariables('extra is defined and facts.os.id'), ['extra', 'facts']);
  });
  it('locates syntax errors in words', () => {
    assert.throws(() => evaluate("os == 'Debian' and", lookup), /Expected an expression, got 'end of print statement'/);
    assert.throws(() => evaluate('os is tall', lookup), /Could not load "tall"/);
    assert.throws(() => evaluate('os | shout', lookup), /Could not load "shout"/);
    assert.throws(() => evaluate("os = 'x'", lookup), /expected token 'end of print statement', got '='/);
  });
});

describe('arithmetic and ordering at their edges (Python semantics, as Jinja2 computes them)', () => {
  const none = () => UNDEFINED;
  it('% and // floor toward minus infinity: the sign of % follows the divisor', () => {
    assert.deepEqual(['-7 % 3', '7 % -3', '-7 % -3', '7 % 3', '-6 % 3', '7.5 % 2'].map((e) => evaluate(e, none)), [2, -2, -1, 1, 0, 1.5]);
    assert.deepEqual(['-7 // 2', '7 // -2', '7 // 2'].map((e) => evaluate(e, none)), [-4, -4, 3]);
  });
  it('<= and >= hold for equal values, numbers and texts alike', () => {
    assert.deepEqual(['3 <= 3', "'b' <= 'b'", '2 <= 3', '4 <= 3'].map((e) => evaluate(e, none)), [true, true, true, false]);
    assert.deepEqual(['3 >= 3', "'b' >= 'b'", '3 >= 2', '3 >= 4'].map((e) => evaluate(e, none)), [true, true, true, false]);
    assert.deepEqual(['3 < 3', '3 > 3'].map((e) => evaluate(e, none)), [false, false]);
  });
});
