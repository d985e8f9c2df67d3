// meta: flush_handlers, noop and end_host against ansible-playbook 2.14:
// test/conformance/meta/, recorded by record-meta.py into expected.json (per host, what
// each task showed, in the order it ran). tend runs the same playbook through its engine
// (local-play.ts).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TaskModule } from '../../src/module.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { playLocally, show } from './local-play.ts';
import { failure } from './playbook-files.ts';

const HERE = join(import.meta.dirname, '../conformance/meta');
const EXPECTED = JSON.parse(readFileSync(join(HERE, 'expected.json'), 'utf8')) as Record<string, string[]>;

describe('meta, as ansible-playbook 2.14 runs it', () => {
  it('flush_handlers runs the notified handlers there; end_host ends the play for that host only, its handlers unrun', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tend-meta-'));
    cpSync(HERE, root, { recursive: true });
    const { hosts, sequence } = await playLocally(join(root, 'playbook.yml'), join(root, 'inventory.ini'));
    for (const h of hosts) assert.equal(h.status, 'changed', JSON.stringify(h.tasks.filter((t) => t.error)));
    assert.deepEqual(Object.fromEntries(sequence), EXPECTED);
  });

  it('refuses the directives tend does not have, with why, at their place', () => {
    const root = mkdtempSync(join(tmpdir(), 'tend-meta-bad-'));
    const file = join(root, 'site.yml');
    const load = (directive: string) => {
      writeFileSync(file, `- hosts: all\n  tasks:\n    - meta: ${directive}\n`);
      return failure(() => loadPlaybook(file, new Map([['show', show as TaskModule]])));
    };
    assert.match(load('refresh_inventory'), /site\.yml:3:7: meta: refresh_inventory: tend reads the inventory once/);
    assert.match(load('flush_everything'), /site\.yml:3:7: meta: 'flush_everything' is not a meta directive/);
  });
});
