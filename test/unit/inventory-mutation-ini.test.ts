// The INI reader (src/inventory/ini.ts) at its edges: comments in every kind of section,
// sections defined after they are named, and the lines Ansible refuses — refused by tend
// too, on the line Ansible names, with tend's sentence and the column of the offending
// word. Each accepted inventory's expectation is what ansible-core 2.14.18's INI plugin
// lists for it (`ANSIBLE_INVENTORY_ENABLED=ini ansible-inventory -i FILE --list`); each
// refused one, the line of Ansible's error (`FILE:LINE: …`, quoted beside it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryList } from '../../src/commands/inventory.ts';
import { InputError } from '../../src/errors.ts';
import { parseIniInventory } from '../../src/inventory/ini.ts';
import { buildInventory } from '../../src/inventory/model.ts';

const listed = (text: string) => JSON.parse(JSON.stringify(inventoryList(buildInventory(parseIniInventory('hosts', text)))));

describe('INI inventories Ansible accepts, listed as ansible-inventory lists them', () => {
  const cases: [string, unknown][] = [
    // Comments after section headers and after a child's name.
    [
      '[web] # c\nh\n[p:children] # x\nweb # c\n',
      { _meta: { hostvars: {} }, all: { children: ['ungrouped', 'p'] }, p: { children: ['web'] }, web: { hosts: ['h'] } },
    ],
    // Whole-line comments, # and ;, inside [vars] and [children] sections.
    [
      '[web]\nw1\n[web:vars]\n# c=1\n; d=2\nx=1\n[p:children]\n# web\n; db\nweb\n',
      { _meta: { hostvars: { w1: { x: 1 } } }, all: { children: ['ungrouped', 'p'] }, p: { children: ['web'] }, web: { hosts: ['w1'] } },
    ],
    // Indented lines; an indented ; comment among hosts.
    ['  [web]\n  ;w1\n', { _meta: { hostvars: {} }, all: { children: ['ungrouped', 'web'] } }],
    // ; inside a host line is not a comment.
    ['[web]\nw1 ;x=1\n', { _meta: { hostvars: { w1: { ';x': 1 } } }, all: { children: ['ungrouped', 'web'] }, web: { hosts: ['w1'] } }],
    // In a [vars] section, a variable named '' is Ansible's too.
    ['[web]\nw1\n[web:vars]\n=x\n', { _meta: { hostvars: { w1: { '': 'x' } } }, all: { children: ['ungrouped', 'web'] }, web: { hosts: ['w1'] } }],
    // [vars] before the group is defined, and twice.
    ['[a:vars]\nx=1\n[a:vars]\ny=2\n[a]\nh\n', { _meta: { hostvars: { h: { x: 1, y: 2 } } }, a: { hosts: ['h'] }, all: { children: ['ungrouped', 'a'] } }],
    // A child named before it is defined, by one parent and by two.
    ['[prod:children]\nweb\n[web]\nw1\n', { _meta: { hostvars: {} }, all: { children: ['ungrouped', 'prod'] }, prod: { children: ['web'] }, web: { hosts: ['w1'] } }],
    [
      '[x:children]\nc\n[y:children]\nc\n[c]\nh\n',
      { _meta: { hostvars: {} }, all: { children: ['ungrouped', 'x', 'y'] }, c: { hosts: ['h'] }, x: { children: ['c'] }, y: { children: ['c'] } },
    ],
    [
      '[a:children]\nb\n[x:children]\nb\n[b:children]\nc\n[c]\nh\n',
      { _meta: { hostvars: {} }, a: { children: ['b'] }, all: { children: ['ungrouped', 'a', 'x'] }, b: { children: ['c'] }, c: { hosts: ['h'] }, x: { children: ['b'] } },
    ],
    // A child named before it is defined, given [vars] before its hosts.
    [
      '[p:children]\nweb\n[web:vars]\nx=1\n[web]\nw1\n',
      { _meta: { hostvars: { w1: { x: 1 } } }, all: { children: ['ungrouped', 'p'] }, p: { children: ['web'] }, web: { hosts: ['w1'] } },
    ],
    // [vars] then [children] of one group not yet defined.
    ['[a:vars]\nx=1\n[a:children]\nb\n[b]\nh\n', { _meta: { hostvars: { h: { x: 1 } } }, a: { children: ['b'] }, all: { children: ['ungrouped', 'a'] }, b: { hosts: ['h'] } }],
  ];
  for (const [text, want] of cases) {
    it(JSON.stringify(text), () => assert.deepEqual(listed(text), want));
  }
});

describe('INI lines Ansible refuses: refused on the same line, at the offending word', () => {
  const cases: [text: string, line: number, col: number, message: string, ansible: string][] = [
    ['[web:foo]\nh\n', 1, 1, "section [web:foo] has an unknown type 'foo' (expected vars or children)", 'inv:1: Section [web:foo] has unknown type: foo'],
    ['\n  [web:foo]\n', 2, 3, "section [web:foo] has an unknown type 'foo' (expected vars or children)", 'inv:2: Section [web:foo] has unknown type: foo'],
    ['[web\nh\n', 1, 1, "section header '[web' is not [group], [group:vars] or [group:children] (no closing ']')", 'not enough values to unpack (expected 3, got 2)'],
    // Text after a section header's ] (not a comment): a host entry, and not a range (Ansible: host range must be begin:end or begin:end:step).
    ['[web]x\nh\n', 1, 1, "host range '[web]x' must be [begin:end] or [begin:end:step]", 'host range must be begin:end or begin:end:step'],
    ['[we b]\nh\n', 1, 1, "section header '[we b]' is not [group], [group:vars] or [group:children] (no spaces inside)", "inv:1: Invalid section entry: '[we b]'."],
    ['[web]\nh foo\n', 2, 3, "expected 'name=value' after host 'h', found 'foo'", 'inv:2: Expected key=value host variable assignment, got: foo'],
    ['[web]\n  h a=1 foo\n', 2, 9, "expected 'name=value' after host 'h', found 'foo'", 'inv:2: Expected key=value host variable assignment, got: foo'],
    // The word as shlex gives it is not in the line: the line's column.
    ["[web]\n h 'fo'o\n", 2, 2, "expected 'name=value' after host 'h', found 'foo'", 'inv:2: Expected key=value host variable assignment, got: foo'],
    ['[web]\n---\n', 2, 1, "'---' is not a host: is this a YAML file? (name it .yml)", "Invalid host pattern '---' supplied, '---' is normally a sign this is a YAML file."],
    ['[web]\nh "x\n', 2, 1, 'host line: No closing quotation', "inv:2: Error parsing host definition 'h \"x': No closing quotation"],
    ['[web]\nw1\n[web:vars]\nfoo\n', 4, 1, "expected 'name=value' in [web:vars], found 'foo'", 'inv:4: Expected key=value, got: foo'],
    ['[web]\nh\n[p:children]\nweb extra\n', 4, 1, "expected one group name a line in [p:children], found 'web extra'", 'inv:4: Expected group name, got: web extra'],
    // Where the child was first named; the last section that named it.
    ['[a:children]\nb\n[c:children]\nb\n[d:children]\nb\n', 2, 1, "section [d:children] names group 'b', which is not defined", 'inv:2: Section [d:children] includes undefined group: b'],
  ];
  for (const [text, line, col, message, ansible] of cases) {
    it(`${JSON.stringify(text)} (Ansible: ${ansible})`, () => {
      assert.throws(
        () => parseIniInventory('hosts', text),
        (e: unknown) => e instanceof InputError && e.message === message && e.location?.file === 'hosts' && e.location.line === line && e.location.col === col,
      );
    });
  }
  it("'h =x': Ansible sets a variable named '', tend refuses it (deliberate, as inventory-conformance-pieces records)", () => {
    assert.throws(() => parseIniInventory('hosts', 'h =x\n'), (e: unknown) => e instanceof InputError && e.message === "expected 'name=value' after host 'h', found '=x'" && e.location?.col === 3);
  });
});
