// --shard K/N: a fleet split across CI runners. A host's shard is a hash of its name, so
// the split is stable (the same host lands in the same shard whatever the inventory
// order or which other hosts exist), disjoint and covering.
import { createHash } from 'node:crypto';
import { InputError } from '../errors.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  total: number;
}

export function shardOf(name: string, total: number): number {
  return (createHash('sha256').update(name).digest().readUInt32BE(0) % total) + 1;
}

export function inShard<T extends { name: string }>(hosts: readonly T[], shard: Shard | undefined): T[] {
  return shard ? hosts.filter((h) => shardOf(h.name, shard.total) === shard.index) : [...hosts];
}

/**
 * `K/N`, or `auto`: from the CI system's environment — TEND_SHARD (`K/N`, e.g. from a
 * GitHub Actions matrix), GitLab's parallel jobs (CI_NODE_INDEX, CI_NODE_TOTAL), a
 * Kubernetes indexed Job (JOB_COMPLETION_INDEX, 0-based, with TEND_SHARD_TOTAL).
 */
export function parseShard(value: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard | undefined {
  if (value === undefined) return undefined;
  let text = value;
  if (value === 'auto') {
    if (env.TEND_SHARD) text = env.TEND_SHARD;
    else if (env.CI_NODE_INDEX && env.CI_NODE_TOTAL) text = `${env.CI_NODE_INDEX}/${env.CI_NODE_TOTAL}`;
    else if (env.JOB_COMPLETION_INDEX !== undefined && env.TEND_SHARD_TOTAL) text = `${Number(env.JOB_COMPLETION_INDEX) + 1}/${env.TEND_SHARD_TOTAL}`;
    else throw new InputError('--shard auto: no shard in the environment (TEND_SHARD, CI_NODE_INDEX/CI_NODE_TOTAL, or JOB_COMPLETION_INDEX with TEND_SHARD_TOTAL)');
  }
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || index < 1 || index > total) throw new InputError(`--shard '${text}': expected K/N with 1 <= K <= N`);
  return { index, total };
}
