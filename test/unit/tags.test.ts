// --tags and --skip-tags against ansible-playbook's own selections, recorded by
// test/conformance/record-tags.py (ansible-core 2.14), over tasks tagged every way.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { selectTags, tagList, tagsSelect } from '../../src/playbook/tags.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { modules } from '../../tasks/index.ts';

const recorded = JSON.parse(readFileSync(new URL('../conformance/expected/tags.json', import.meta.url), 'utf8')) as {
  tasks: Record<string, string[]>;
  cases: { tags: string[]; skipTags: string[]; runs: string[] }[];
};

describe('tags as Ansible selects them', () => {
  for (const c of recorded.cases) {
    it(`--tags ${c.tags.join(',') || '(none)'} --skip-tags ${c.skipTags.join(',') || '(none)'}`, () => {
      const runs = Object.entries(recorded.tasks)
        .filter(([, tags]) => tagsSelect(tags, { tags: c.tags, skipTags: c.skipTags }))
        .map(([name]) => name);
      assert.deepEqual(runs, c.runs);
    });
  }
});

describe('tags in a playbook', () => {
  it('a play’s tags are its tasks’ too; numbers stay; handlers stay', () => {
    const playbook = loadPlaybook(
      'tags.yml',
      modules,
      `- hosts: all
  tags: [mail]
  tasks:
    - name: one
      command: { cmd: "true" }
      tags: tls
    - name: two
      command: { cmd: "true" }
      notify: h
  handlers:
    - name: h
      command: { cmd: "true" }
`,
    );
    const names = (tags: string[], skipTags: string[] = []) => selectTags(playbook, { tags, skipTags }).plays[0]!.tasks.map((t) => `${t.number} ${t.name}`);
    assert.deepEqual(names(['tls']), ['1 one']);
    assert.deepEqual(names(['mail']), ['1 one', '2 two']);
    assert.deepEqual(names([], ['tls']), ['2 two']);
    assert.equal(selectTags(playbook, { tags: ['tls'], skipTags: [] }).plays[0]!.handlers.length, 1);
    assert.deepEqual(tagList(['a,b', ' c ']), ['a', 'b', 'c']);
  });
});
