// src/template's API and its guarantees beyond what the conformance corpus compares:
// compile once and render per host, the variables a template reads, where errors are,
// no way from a template to JS internals, and limits that end a render with a clear error.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ansibleTemplateVars, compileExpression, compileTemplate, evaluateConditional, templatingLookup, TemplateError, TemplateLimitError, TemplateSyntaxError, UndefinedError, valueTemplater } from '../../src/template/index.ts';

const vars = (o: Record<string, unknown>) => (name: string) => o[name];

function failure(run: () => unknown): TemplateError {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof TemplateError, `expected a TemplateError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

describe('template API', () => {
  it('compiles once and renders per host, nothing carried from one render to the next', () => {
    const t = compileTemplate('{% set l = [] %}{% set _ = l.append(name) %}{% set _ = users.append(name) %}{{ l }} {{ users | length }}\n', { name: 'x.j2' });
    const users = ['root'];
    assert.equal(t.render(vars({ name: 'a', users })), "['a'] 2\n");
    assert.equal(t.render(vars({ name: 'b', users })), "['b'] 2\n");
    assert.deepEqual(users, ['root'], "a template's list methods never change the host's data");
  });

  it('takes plain objects and Maps; Maps keep non-string keys', () => {
    const t = compileTemplate('{{ d }} {{ m }} {{ m[80] }}');
    assert.equal(t.render(vars({ d: { b: 1, a: [true, null] }, m: new Map<unknown, unknown>([[80, 'http'], ['x', 1.5]]) })), "{'b': 1, 'a': [True, None]} {80: 'http', 'x': 1.5} http");
  });

  it('evaluates one expression to a JS value, or keeps the Python model with evaluateRaw', () => {
    const e = compileExpression("ports | map('int') | list");
    assert.deepEqual(e.evaluate(vars({ ports: ['80', '443'] })), [80, 443]);
    // Objects come back without a prototype: a key named __proto__ is just a key.
    assert.deepEqual({ ...(compileExpression('{"a": [1, none]}').evaluate(vars({})) as object) }, { a: [1, null] });
    assert.equal(String(compileExpression('2.0').evaluateRaw(vars({}))?.constructor.name), 'PyFloat');
    assert.equal(compileExpression("ansible_os_family == 'Debian'").evaluate(vars({ ansible_os_family: 'Debian' })), true);
  });

  it('lists the variables a template reads, and those it needs defined', () => {
    const t = compileTemplate(
      [
        '{% set port = http_port | default(80) %}',
        '{% for u in users if u.enabled %}{{ u.name }}:{{ port }}{% endfor %}',
        '{% if proxy is defined %}{{ proxy.host }}{% endif %}',
        '{% macro m(x) %}{{ x }}{{ suffix }}{% endmacro %}{{ m(1) }}',
        '{{ lookup_only is none }} {{ range(3) | list }} {{ opt is defined }}',
      ].join('\n'),
    );
    assert.deepEqual(t.referencedVariables().sort(), ['http_port', 'lookup_only', 'opt', 'proxy', 'suffix', 'users']);
    // `is none` is false for an undefined value, as `is defined` is: neither needs it defined.
    assert.deepEqual(t.requiredVariables().sort(), ['suffix', 'users']);
    assert.deepEqual(compileExpression('a.b | default(c) and d is defined').requiredVariables(), ['c']);
  });

  it('finds includes on its search path, and nothing outside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-tpl-'));
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 'part.j2'), 'part {{ x }}');
    writeFileSync(join(dir, 'secret'), 'no');
    const t = compileTemplate("{% include 'part.j2' %}|{% include '../secret' ignore missing %}", { searchPath: [join(dir, 'templates'), dir] });
    assert.equal(t.render(vars({ x: 1 })), 'part 1|');
  });

  it("gives the template module's variables: template_* and ansible_managed with its placeholders and strftime", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-tpl-'));
    writeFileSync(join(dir, 'motd.j2'), 'x');
    const v = ansibleTemplateVars({ src: 'motd.j2', fullpath: join(dir, 'motd.j2'), dest: '/etc/motd', managed: '{file} managed (%Y)' });
    const out = compileTemplate('{{ ansible_managed }}|{{ template_path }}|{{ template_destpath }}|{{ template_mtime.year }}').render(vars(v));
    const year = new Date().getFullYear();
    assert.equal(out, `motd.j2 managed (${year})|motd.j2|/etc/motd|${year}`);
    assert.equal(ansibleTemplateVars({ src: join(dir, 'motd.j2') }).ansible_managed, 'Ansible managed');
  });

  it('templates task arguments and evaluates when: as Ansible does', () => {
    const lookup = templatingLookup({ port: 80, hosts: ['a', 'b'], base: '/srv', www: '{{ base }}/www' });
    assert.deepEqual(valueTemplater(lookup).template({ p: '{{ port }}', l: '{{ hosts }}', s: '{{ www }}/x', n: '{{ port + 1 }}' }), new Map<unknown, unknown>([['p', 80], ['l', ['a', 'b']], ['s', '/srv/www/x'], ['n', '81']]));
    assert.equal(evaluateConditional("port == 80 and 'a' in hosts", lookup), true);
    assert.equal(evaluateConditional('missing is defined and missing.x', lookup), false);
    assert.throws(() => evaluateConditional('missing.x', lookup), /error while evaluating conditional \(missing.x\): 'missing' is undefined/);
  });

  it('applies the template module options and the #jinja2 header', () => {
    assert.equal(compileTemplate('  {% if 1 %}\n  x\n  {% endif %}\n', { syntax: { lstripBlocks: true } }).render(vars({})), '  x\n');
    assert.equal(compileTemplate('{% if 1 %}\nx\n{% endif %}\ny\n', { syntax: { trimBlocks: false } }).render(vars({})), '\nx\n\ny\n');
    assert.equal(compileTemplate('<<x>>\n', { syntax: { variableStart: '<<', variableEnd: '>>' } }).render(vars({ x: 1 })), '1\n');
  });
});

describe('template errors', () => {
  it('an undefined variable: its name, the line and column of the {{ }}', () => {
    const e = failure(() => compileTemplate('a\nb\n  {{ nope }}\n', { name: 'roles/x/templates/a.j2' }).render(vars({})));
    assert.ok(e instanceof UndefinedError);
    assert.equal(e.ansibleClass, 'AnsibleUndefinedVariable');
    assert.equal(e.located, "roles/x/templates/a.j2:3:3: 'nope' is undefined");
  });

  it('a syntax error when compiled, with line and column, before any host', () => {
    const e = failure(() => compileTemplate('line\n{% if x %}\n{% endfor %}\n', { name: 't.j2' }));
    assert.ok(e instanceof TemplateSyntaxError);
    assert.equal(e.line, 3);
    assert.match(e.message, /Encountered unknown tag 'endfor'.*innermost block that needs to be closed is 'if'/);
    assert.equal(failure(() => compileTemplate('{{ x | no_such_filter }}')).ansibleClass, 'AnsibleError');
  });

  it('an error inside an included template or a macro names where it happened', () => {
    const e = failure(() =>
      compileTemplate("{% macro m() %}\n{{ 1 + 'a' }}{% endmacro %}\n\n{{ m() }}", { name: 'main.j2' }).render(vars({})),
    );
    assert.equal(e.line, 2);
    assert.match(e.message, /unsupported operand type\(s\) for \+: 'int' and 'str'/);
  });
});

describe('template safety', () => {
  const names = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__class__', '__globals__', 'call', 'apply', 'bind'];
  it('reaches no JS internals: such names are missing keys of data', () => {
    for (const name of names) {
      for (const subject of ['d', "''", '[]', 'range', 'loop', 'ns', 'm', '1', 'none']) {
        const text = `{% set ns = namespace() %}{% macro m() %}{% endmacro %}{% for loop in [1] %}{{ (${subject}).${name} is defined }}|{{ (${subject})['${name}'] is defined }}{% endfor %}`;
        assert.equal(compileTemplate(text).render(vars({ d: {} })), 'False|False', `${subject}.${name}`);
      }
    }
  });

  it('a key that is a JS internal name is plain data', () => {
    const d = JSON.parse('{"__proto__": {"x": 1}, "constructor": "c"}');
    assert.equal(compileTemplate("{{ d['__proto__'].x }} {{ d.constructor }}").render(vars({ d })), '1 c');
  });

  it('runs no code given as text', () => {
    const attempts = ["{{ range.constructor('return process')() }}", "{{ ''.constructor.constructor('return 1')() }}", '{{ lipsum.__globals__ }}', "{{ self.__init__ }}"];
    for (const a of attempts) assert.ok(failure(() => compileTemplate(a).render(vars({}))) instanceof UndefinedError, a);
  });

  // That each ends is what the test's own timeout checks (a hang fails it): a wall-clock
  // bound per case failed on a loaded machine, where the million iterations the loop
  // limit allows took over 5 s.
  const limited = (text: string, re: RegExp) => {
    const e = failure(() => compileTemplate(text).render(vars({})));
    assert.ok(e instanceof TemplateLimitError || e instanceof TemplateSyntaxError || ['MemoryError', 'OverflowError'].includes(e.ansibleClass), `${e.constructor.name}: ${e.message}`);
    assert.match(e.message, re);
  };

  it('ends loops without end, deep recursion and huge output with an error naming the limit', { timeout: 120_000 }, () => {
    limited('{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}', /loop iterations.*limit/);
    limited('{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}', /nested more than 100 deep/);
    limited('{% for i in [1] recursive %}{{ loop([i]) }}{% endfor %}', /nested more than 100 deep/);
    limited("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", /over \d+ characters/);
    limited("{{ 'x' * 100000000 }}", /over \d+ characters/);
    limited("{% for i in range(10) %}{{ 'x' * 10000000 }}{% endfor %}", /output over \d+ characters/);
    limited(`{{ ${'('.repeat(5000)}1${')'.repeat(5000)} }}`, /nested more than 100 levels/);
    limited(`{{ x${'.a'.repeat(20000)} }}`, /operators chained/);
    limited(`{{ 1${' + 1'.repeat(20000)} }}`, /operators chained/);
    limited('{% if 1 %}'.repeat(3000), /blocks nested more than 100/);
    limited('{{ range(10 ** 12) }}', /range with more than/);
  });
});
