// Input that would make the loaders explode — imports that fan out, variables that
// double, expressions nested thousands deep — is refused with the limit it crossed and
// where, quickly, as an input error (never a hang, a heap exhausted or a stack trace).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileExpression, TemplateError } from '../../src/template/index.ts';
import { LIMITS } from '../../src/playbook/limits.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { renderString, variableLookup } from '../../src/playbook/template.ts';

/** An expression read by tend's Jinja2 engine (the parser enforces the nesting limits). */
const parse = (expr: string) => compileExpression(expr);
import { modules } from '../../tasks/index.ts';
import { failure, tree } from './playbook-files.ts';

/** Files 0..n-1, each importing the next twice; the last holds one task. */
function fanOut(n: number): Record<string, string> {
  const files: Record<string, string> = { 'site.yml': '- hosts: all\n  tasks:\n    - import_tasks: f0.yml\n' };
  for (let k = 0; k < n - 1; k++) files[`f${k}.yml`] = `- import_tasks: f${k + 1}.yml\n- import_tasks: f${k + 1}.yml\n`;
  files[`f${n - 1}.yml`] = '- command: { cmd: "true" }\n';
  return files;
}

describe('imports that fan out', () => {
  it('are refused past the limit on tasks and imports, at the import that crossed it', () => {
    // 2^15 tasks: read whole before the limit (seconds); refused at once now.
    const site = tree(fanOut(16));
    const message = failure(() => loadPlaybook(site, modules));
    assert.match(message, /f\d+\.yml:\d+:\d+: import_tasks: more than 10000 tasks and imports/);
  });
  it('count imports of empty files too (nothing to run, but each is read)', () => {
    const files = fanOut(24);
    files['f23.yml'] = '[]\n';
    assert.match(failure(() => loadPlaybook(tree(files), modules)), /more than 10000 tasks and imports/);
  });
  it('a playbook under the limit is read whole', () => {
    const play = loadPlaybook(tree(fanOut(10)), modules).plays[0]!;
    assert.equal(play.tasks.length, 512);
  });
});

describe('expressions nested too deep', () => {
  it('3000 parentheses are an expression error naming the limit, not a RangeError', () => {
    const deep = `${'('.repeat(3000)}x${')'.repeat(3000)}`;
    assert.throws(() => parse(deep), (e: unknown) => e instanceof TemplateError && /nested more than 100 levels/.test(e.message));
  });
  it('in a when:, the error has the condition’s file:line:col', () => {
    const site = tree({ 'site.yml': `- hosts: all\n  tasks:\n    - command: { cmd: "true" }\n      when: "${'('.repeat(3000)}x${')'.repeat(3000)}"\n` });
    assert.match(failure(() => loadPlaybook(site, modules)), /site\.yml:4:13: when: .*nested more than 100 levels/);
  });
  it('nots, minus signs, lists and subscripts count as nesting too', () => {
    for (const deep of ['not '.repeat(3000) + 'x', '-'.repeat(3000) + '1', `${'['.repeat(3000)}${']'.repeat(3000)}`, `x${'[x'.repeat(3000)}${']'.repeat(3000)}`]) {
      assert.throws(() => parse(deep), /nested more than 100 levels/, deep.slice(0, 10));
    }
  });
  it('a long chain of operators is refused too (its tree is as deep)', () => {
    assert.throws(() => parse(Array(5000).fill('x').join(' + ')), /more than 1000 operators chained in one expression/);
    assert.throws(() => parse(`x${' | lower'.repeat(5000)}`), /more than 1000 operators chained in one expression/);
    assert.throws(() => parse(`x${'.a'.repeat(5000)}`), /more than 1000 operators chained in one expression/);
  });
  it('ordinary nesting is read', () => {
    assert.doesNotThrow(() => parse(`${'('.repeat(50)}x${')'.repeat(50)}`));
    assert.doesNotThrow(() => parse(Array(500).fill('x').join(' and ')));
  });
  it('the message quotes a long expression shortened', () => {
    assert.throws(
      () => parse(`${'('.repeat(3000)}x${')'.repeat(3000)}`),
      (e: unknown) => e instanceof Error && e.message.length < 400,
    );
  });
});

describe('values that double', () => {
  const doubling = (n: number, join: (prev: string) => unknown) => {
    const vars: Record<string, unknown> = { a0: 'xxxxxxxxxxxxxxxx' };
    for (let k = 1; k <= n; k++) vars[`a${k}`] = join(`a${k - 1}`);
    return vars;
  };
  it('a rendered text over 1 MiB is refused, naming the variable, before it is built', () => {
    const lookup = variableLookup([doubling(40, (p) => `{{${p}}}{{${p}}}`)]);
    const before = process.memoryUsage().heapUsed;
    assert.throws(() => lookup('a40'), (e: unknown) => e instanceof TemplateError && /'a1[67]'.*larger than 1 MiB/.test(e.message));
    assert.ok(process.memoryUsage().heapUsed - before < 64 * 1024 * 1024, 'no large string was built');
  });
  it('the same with ~ and + inside one expression', () => {
    assert.throws(() => variableLookup([doubling(40, (p) => `{{ ${p} ~ ${p} }}`)])('a40'), /larger than 1 MiB/);
    assert.throws(() => variableLookup([doubling(40, (p) => `{{ ${p} + ${p} }}`)])('a40'), /larger than 1 MiB/);
  });
  it('lists that double (shared, so small in memory, but huge once written out) are refused too', () => {
    assert.throws(() => variableLookup([doubling(60, (p) => `{{ [${p}, ${p}] }}`)])('a60'), /larger than 1 MiB/);
    assert.throws(() => variableLookup([doubling(60, (p) => [`{{ ${p} }}`, `{{ ${p} }}`])])('a60'), /larger than 1 MiB/);
  });
  it('a chain of variables deeper than the limit is refused (not a stack overflow)', () => {
    const vars: Record<string, unknown> = { v0: 'x' };
    for (let k = 1; k <= 5000; k++) vars[`v${k}`] = `{{ v${k - 1} }}`;
    assert.throws(() => variableLookup([vars])('v5000'), /more than 100 variables deep/);
    assert.equal(variableLookup([vars])('v90'), 'x');
  });
  it('values under the limit are untouched', () => {
    assert.equal(renderString('{{ a4 }}', variableLookup([doubling(4, (p) => `{{${p}}}{{${p}}}`)])), 'x'.repeat(16 * 16));
  });
  it('in a playbook, play vars that double are an input error at the variable', () => {
    const vars = Object.entries(doubling(40, (p) => `{{${p}}}{{${p}}}`))
      .map(([k, v]) => `      ${k}: "${String(v)}"`)
      .join('\n');
    const site = tree({ 'site.yml': `- hosts: all\n  vars:\n${vars}\n  tasks:\n    - command: { cmd: "echo {{ a40 }}" }\n` });
    assert.match(failure(() => loadPlaybook(site, modules)), /site\.yml:\d+:\d+: vars: a1[67]: .*larger than 1 MiB/);
  });
  it('the limits are what the README says', () => {
    assert.deepEqual(LIMITS, { tasksAndImports: 10000, expressionNesting: 100, expressionChain: 1000, valueBytes: 1024 * 1024, variableDepth: 100 });
  });
});
