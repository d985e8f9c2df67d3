// A fleet checked in two shards (as two CI jobs would), then the reports merged: one
// recap, one exit code, one report that validates against the schema (hosts 5–8).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { inventoryOf, KNOWN_HOSTS, tend, writeTemp } from './helpers.ts';

const HOSTS = [5, 6, 7, 8];

describe('shards across CI jobs, and their reports merged', () => {
  it('two shards cover the fleet without overlap; the merge recaps every host and exits as one run', async () => {
    const inventory = inventoryOf(HOSTS);
    const playbook = writeTemp('shard.yml', '- hosts: all\n  tasks:\n    - copy: { dest: "/tmp/tend-shard-never-{{ inventory_hostname }}", content: "x\\n" }\n');
    const reports = [writeTemp('a.json', ''), writeTemp('b.json', '')];
    const hostsOf = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { hosts: { name: string }[] }).hosts.map((h) => h.name);
    for (const [k, file] of reports.entries()) {
      const r = await tend(['check', playbook, '-i', inventory, '--known-hosts', KNOWN_HOSTS, '--shard', `${k + 1}/2`, '--json', file]);
      assert.ok(r.code === 2 || (r.code === 0 && hostsOf(file).length === 0), r.stdout + r.stderr);
    }
    const [a, b] = reports.map(hostsOf) as [string[], string[]];
    assert.deepEqual([...a, ...b].sort(), HOSTS.map((i) => `tend-${i}`));
    assert.equal(a.filter((h) => b.includes(h)).length, 0);

    const merged = writeTemp('merged.json', '');
    const r = await tend(['report', 'merge', ...reports, '--json', merged]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /4 host\(s\): 0 in sync, 4 drifted/);
    const report = JSON.parse(readFileSync(merged, 'utf8'));
    assert.deepEqual(report.merged, reports);
    assert.equal(report.totals.hosts, 4);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync('schema/report.schema.json', 'utf8')));
    assert.ok(validate(report), JSON.stringify(validate.errors));

    const overlap = await tend(['report', 'merge', reports[0]!, reports[0]!]);
    assert.equal(overlap.code, 8);
    assert.match(overlap.stderr, /is in .* too: shards do not overlap/);
  });
});
