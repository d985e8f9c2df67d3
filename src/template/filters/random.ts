// random and shuffle. With a seed they must give what Python's random.Random(seed) gives,
// because roles use `59 | random(seed=inventory_hostname)` to spread cron jobs: the same
// host must get the same minute from tend as from Ansible, run after run. So this is
// Python's generator: MT19937 seeded by init_by_array, a str seed taken with its SHA-512
// (seed version 2), randrange/choice/shuffle by rejection sampling on getrandbits.
import { createHash, randomInt } from 'node:crypto';
import { PyError } from '../errors.ts';
import type { FilterDef } from '../eval.ts';
import { isInt, num, str, truthy } from '../values.ts';
import { define, seq } from './util.ts';

class MersenneTwister {
  private readonly mt = new Uint32Array(624);
  private mti = 625;

  constructor(key: number[]) {
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    const mt = this.mt;
    for (let k = Math.max(624, key.length); k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1664525)) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= 624) {
        mt[0] = mt[623]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = 623; k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= 624) {
        mt[0] = mt[623]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private initGenrand(s: number): void {
    this.mt[0] = s >>> 0;
    for (this.mti = 1; this.mti < 624; this.mti++) {
      const prev = this.mt[this.mti - 1]! ^ (this.mt[this.mti - 1]! >>> 30);
      this.mt[this.mti] = (Math.imul(prev, 1812433253) + this.mti) >>> 0;
    }
  }

  uint32(): number {
    const mt = this.mt;
    if (this.mti >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % 624]! & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.mti = 0;
    }
    let y = mt[this.mti++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Python's getrandbits(k) for k ≤ 52: 32-bit words, least significant first. */
  bits(k: number): number {
    if (k <= 32) return this.uint32() >>> (32 - k);
    const low = this.uint32();
    const high = this.uint32() >>> (64 - k);
    return high * 2 ** 32 + low;
  }

  below(n: number): number {
    if (n <= 0) throw new PyError('ValueError', 'empty range for randrange()');
    const k = Math.floor(Math.log2(n)) + 1;
    let r = this.bits(k);
    while (r >= n) r = this.bits(k);
    return r;
  }
}

/** Python's random.Random(seed): ints by their absolute value, anything else by its str's SHA-512. */
function seeded(seed: unknown): MersenneTwister {
  let big: bigint;
  if (isInt(seed) || typeof seed === 'boolean') big = BigInt(Math.abs(num(seed)));
  else {
    const bytes = Buffer.from(str(seed), 'utf8');
    big = BigInt(`0x${Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]).toString('hex')}`);
  }
  const key: number[] = [];
  while (big > 0n) {
    key.push(Number(big & 0xffffffffn));
    big >>= 32n;
  }
  if (key.length === 0) key.push(0);
  return new MersenneTwister(key);
}

const system = { below: (n: number) => (n <= 0 ? (() => { throw new PyError('ValueError', 'empty range for randrange()'); })() : randomInt(n)) };

export const RANDOM_FILTERS: Record<string, FilterDef> = {
  random: define('rand', ['start', 'step', 'seed'], [null, null, null], (_c, end, start, step, seed) => {
    const r = seed === null ? system : seeded(seed);
    if (isInt(end)) {
      const s = truthy(start) ? num(start) : 0;
      const st = truthy(step) ? num(step) : 1;
      if (st === 1) return s + r.below(num(end) - s);
      return s + st * r.below(Math.floor((num(end) - s + st - 1) / st));
    }
    if (truthy(start) || truthy(step)) throw new PyError('AnsibleFilterError', 'start and step can only be used with integer values', 'AnsibleFilterError');
    const items = seq(end);
    return items[r.below(items.length)];
  }),
  shuffle: define('randomize_list', ['seed'], [null], (_c, v, seed) => {
    const items = [...seq(v)];
    const r = seed === null ? system : seeded(seed);
    for (let i = items.length - 1; i > 0; i--) {
      const j = r.below(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }),
};
