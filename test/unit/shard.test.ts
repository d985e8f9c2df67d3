// --shard K/N: disjoint, covering, and stable whatever the order or the other hosts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { mergeReports } from '../../src/commands/report-merge.ts';
import type { HostResult, RunResult } from '../../src/engine/results.ts';
import { inShard, parseShard } from '../../src/engine/shard.ts';
import { InputError } from '../../src/errors.ts';
import { jsonReport } from '../../src/report/json.ts';

describe('shards of a fleet', () => {
  it('are disjoint and covering, and a host keeps its shard when the inventory is reordered or grows', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (names, total) => {
        const hosts = names.map((name) => ({ name }));
        const shards = Array.from({ length: total }, (_, k) => inShard(hosts, { index: k + 1, total }).map((h) => h.name));
        assert.deepEqual(shards.flat().sort(), [...names].sort());
        assert.equal(new Set(shards.flat()).size, names.length);
        const reordered = [...hosts].reverse().concat([{ name: `${names[0]}-new` }]);
        for (let k = 0; k < total; k++) {
          const again = inShard(reordered, { index: k + 1, total }).map((h) => h.name).filter((n) => names.includes(n));
          assert.deepEqual(again.sort(), [...shards[k]!].sort());
        }
      }),
      { numRuns: 100, seed: 12 },
    );
  });
  it('are read from K/N or from the CI environment', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, total: 4 });
    assert.deepEqual(parseShard('auto', { TEND_SHARD: '3/5' }), { index: 3, total: 5 });
    assert.deepEqual(parseShard('auto', { CI_NODE_INDEX: '2', CI_NODE_TOTAL: '3' }), { index: 2, total: 3 });
    assert.deepEqual(parseShard('auto', { JOB_COMPLETION_INDEX: '0', TEND_SHARD_TOTAL: '4' }), { index: 1, total: 4 });
    assert.throws(() => parseShard('5/4'), /expected K\/N with 1 <= K <= N/);
    assert.throws(() => parseShard('auto', {}), /no shard in the environment/);
  });
});

describe('tend report merge: the shard reports of one run, never overlapping ones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-merge-'));
  const stats = { roundTrips: 1, bytesSent: 0, bytesReceived: 0, connectMs: 0, durationMs: 1 };
  /** A saved shard report of `hosts`, all ok. */
  const shardReport = (name: string, hosts: string[], mode: RunResult['mode'] = 'check', playbook = 'site.yml') => {
    const run: RunResult = { mode, durationMs: 5, hosts: hosts.map((host): HostResult => ({ host, status: 'ok', tasks: [], stats })) };
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(jsonReport(run, { playbook, inventory: 'hosts', startedAt: new Date(0), exitCode: 0 })));
    return file;
  };
  const quietly = async <T>(t: { mock: { method(o: object, m: string, f: () => void): unknown } }, run: () => Promise<T>) => {
    t.mock.method(console, 'log', () => {});
    return run();
  };
  it('disjoint shards merge into one report of every host', async (t) => {
    const out = join(dir, 'merged.json');
    const code = await quietly(t, () => mergeReports([shardReport('a.json', ['h1', 'h3']), shardReport('b.json', ['h2'])], { json: out }));
    assert.equal(code, 0);
    const merged = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(merged.hosts.map((h: { name: string }) => h.name), ['h1', 'h2', 'h3']);
    assert.deepEqual(merged.merged, [join(dir, 'a.json'), join(dir, 'b.json')]);
  });
  for (const [label, files, message] of [
    ['a host in two shards', () => [shardReport('c.json', ['h1', 'h2']), shardReport('d.json', ['h3', 'h2'])], /d\.json: host h2 is in .*c\.json too: shards do not overlap/],
    ['the same report twice', () => [shardReport('e.json', ['h1']), join(dir, 'e.json')], /e\.json: host h1 is in .*e\.json too/],
    ['reports of two playbooks', () => [shardReport('f.json', ['h1']), shardReport('g.json', ['h2'], 'check', 'other.yml')], /g\.json: playbook other\.yml, not site\.yml/],
    ['an apply report among check reports', () => [shardReport('h.json', ['h1']), shardReport('i.json', ['h2'], 'apply')], /i\.json: an? apply report among check reports/],
  ] as const) {
    it(`${label} is refused, and nothing is written`, async (t) => {
      const out = join(dir, `refused-${label.replaceAll(' ', '-')}.json`);
      await assert.rejects(
        quietly(t, () => mergeReports(files(), { json: out })),
        (e: unknown) => e instanceof InputError && message.test(e.message),
      );
      assert.equal(existsSync(out), false);
    });
  }
});
