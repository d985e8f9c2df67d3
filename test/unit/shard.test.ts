// --shard K/N: disjoint, covering, and stable whatever the order or the other hosts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { inShard, parseShard } from '../../src/engine/shard.ts';

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
