import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conditionHolds, referencedNames, render, renderString, variableLookup } from '../../src/playbook/template.ts';

const lookup = variableLookup([
  { domain: 'example.org', hostname: 'mail.{{ domain }}', list: ['a', 'b'], map: { procmail: 'procmail -a "$EXTENSION"' }, agent: 'procmail', port: 587 },
]);

describe('templates', () => {
  it('a whole-string expression keeps its type', () => {
    assert.deepEqual(renderString('{{ list }}', lookup), ['a', 'b']);
    assert.equal(renderString('{{ port }}', lookup), 587);
  });
  it('expressions inside text become text, and variables can use variables', () => {
    assert.equal(renderString('smtp://{{ hostname }}:{{ port }}', lookup), 'smtp://mail.example.org:587');
  });
  it('reads members by dot and by bracket with a variable key', () => {
    assert.equal(renderString("{{ map[agent] }}", lookup), 'procmail -a "$EXTENSION"');
    assert.equal(renderString("{{ map['procmail'] }}", lookup), 'procmail -a "$EXTENSION"');
    assert.equal(renderString('{{ map.procmail }}', lookup), 'procmail -a "$EXTENSION"');
  });
  it('filters: default, join, upper, int', () => {
    assert.equal(renderString("{{ missing | default('fallback') }}", lookup), 'fallback');
    assert.equal(renderString("{{ domain | default('x') }}", lookup), 'example.org');
    assert.equal(renderString("{{ list | join(', ') }}", lookup), 'a, b');
    assert.equal(renderString('{{ domain | upper }}', lookup), 'EXAMPLE.ORG');
    // Ansible 2.14 renders a task argument to text: only text that reads as a list, a dict
    // or True/False becomes data again, so `'42' | int` is the text '42' (tend gave 42).
    assert.equal(renderString("{{ '42' | int }}", lookup), '42');
    assert.equal(renderString('{{ port }}', lookup), 587);
  });
  it('an undefined variable is an error that names it', () => {
    assert.throws(() => renderString('{{ nope }}', lookup), /'nope' is undefined/);
    assert.throws(() => renderString('{{ map.nope }}', lookup), /'dict object' has no attribute 'nope'/);
  });
  it('unknown filters and garbage are errors, not silent text', () => {
    assert.throws(() => renderString('{{ domain | shout }}', lookup), /Could not load "shout"/);
    assert.throws(() => renderString('{{ domain = }}', lookup), /expected token 'end of print statement', got '='/);
  });
  it('statements render as Ansible renders them; keys holding templates are rendered (tend\'s own)', () => {
    assert.equal(renderString('{% if port > 100 %}high{% else %}low{% endif %}', lookup), 'high');
    assert.deepEqual(renderString('{{ list | map("upper") | list }}', lookup), ['A', 'B']);
    assert.deepEqual(render({ '{{ port }}/inet': 'x' }, lookup), { '587/inet': 'x' });
  });
  it("tend's own fqdn filter (the seed's myhostname) works in arguments and conditions", () => {
    assert.equal(renderString("{{ 'mx' | fqdn('example.org') }}", lookup), 'mx.example.org');
    assert.equal(renderString("{{ 'mx.a.b' | fqdn('example.org') }}", lookup), 'mx.a.b');
    assert.equal(conditionHolds("'mx' | fqdn('x.org') == 'mx.x.org'", lookup), true);
  });
  it('a variable that refers to itself is reported', () => {
    const loop = variableLookup([{ a: '{{ b }}', b: '{{ a }}' }]);
    assert.throws(() => loop('a'), /refers to itself/);
  });
  it('later layers win', () => {
    const l = variableLookup([{ x: 'play' }, { x: 'inventory' }, { x: 'extra' }]);
    assert.equal(l('x'), 'extra');
  });
  it('renders inside nested parameters and lists names used', () => {
    assert.deepEqual(render({ settings: { myhostname: '{{ hostname }}' }, n: [1, '{{ port }}'] }, lookup), {
      settings: { myhostname: 'mail.example.org' },
      n: [1, 587],
    });
    assert.deepEqual(referencedNames('{{ map[agent] | default(x) }} {{ a.b }}'), ['map', 'agent', 'x', 'a']);
  });
});
