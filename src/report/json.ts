// The machine-readable report: one JSON document per run, its shape described by
// schema/report.schema.json. Secret values never enter it.
import type { HostResult, RunResult, TaskResult } from '../engine/results.ts';
import { isChange } from '../engine/results.ts';
import type { Change } from '../module.ts';

export interface ReportMeta {
  playbook: string;
  inventory: string;
  limit?: string;
  /** `K/N` when the run was one shard of the fleet. */
  shard?: string;
  startedAt: Date;
  /** The run's exit status (it depends on flags the rest of the report does not keep). */
  exitCode?: number;
}

const STATUS: Record<TaskResult['status'], string> = {
  ok: 'ok',
  changed: 'changed',
  'would-change': 'would-change',
  pending: 'would-change',
  failed: 'failed',
  skipped: 'skipped',
};

function change(c: Change) {
  return {
    subject: c.subject,
    kind: c.kind,
    ...(c.secret ? { secret: true } : { before: c.before ?? null, after: c.after ?? null }),
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
  };
}

function task(t: TaskResult) {
  return {
    play: t.play,
    number: t.number,
    name: t.name,
    module: t.module,
    handler: t.handler,
    status: STATUS[t.status],
    ...(t.after ? { afterTask: t.after } : {}),
    changes: t.changes.map(change),
    durationMs: t.durationMs,
    ...(t.item !== undefined ? { item: t.item } : {}),
    ...(t.reason !== undefined ? { reason: t.reason } : {}),
    ...(t.ignored ? { ignored: true } : {}),
    ...(t.msg !== undefined ? { msg: t.msg } : {}),
    ...(t.remoteCpuMs !== undefined ? { remoteCpuMs: t.remoteCpuMs } : {}),
    ...(t.error !== undefined ? { error: t.error } : {}),
  };
}

function host(h: HostResult) {
  return {
    name: h.host,
    status: h.status,
    ...(h.error !== undefined ? { error: h.error } : {}),
    tasks: h.tasks.map(task),
    stats: h.stats,
  };
}

export function jsonReport(run: RunResult, meta: ReportMeta) {
  const hosts = [...run.hosts].sort((a, b) => a.host.localeCompare(b.host, undefined, { numeric: true }));
  const tasks = hosts.flatMap((h) => h.tasks);
  return {
    $schema: 'https://tend.invalid/schema/report.schema.json',
    version: 1,
    mode: run.mode,
    playbook: meta.playbook,
    inventory: meta.inventory,
    ...(meta.limit !== undefined ? { limit: meta.limit } : {}),
    ...(meta.shard !== undefined ? { shard: meta.shard } : {}),
    startedAt: meta.startedAt.toISOString(),
    ...(run.interrupted ? { interrupted: true } : {}),
    durationMs: run.durationMs,
    ...(meta.exitCode !== undefined ? { exitCode: meta.exitCode } : {}),
    totals: {
      hosts: hosts.length,
      inSync: hosts.filter((h) => h.status === 'ok').length,
      changed: hosts.filter((h) => h.status === 'changed').length,
      failed: hosts.filter((h) => h.status === 'failed').length,
      unreachable: hosts.filter((h) => h.status === 'unreachable').length,
      interrupted: hosts.filter((h) => h.status === 'interrupted').length,
      tasks: {
        ok: tasks.filter((t) => t.status === 'ok').length,
        changed: tasks.filter((t) => t.status === 'changed').length,
        wouldChange: tasks.filter((t) => t.status === 'would-change').length,
        wouldChangeAfterEarlier: tasks.filter((t) => t.status === 'pending').length,
        failed: tasks.filter((t) => t.status === 'failed' && !t.ignored).length,
        ...(tasks.some((t) => t.ignored) ? { ignored: tasks.filter((t) => t.ignored).length } : {}),
        skipped: tasks.filter((t) => t.status === 'skipped').length,
      },
    },
    drifted: hosts.filter((h) => h.tasks.some((t) => isChange(t.status))).map((h) => h.host),
    ...(run.rollout ? { rollout: run.rollout } : {}),
    hosts: hosts.map(host),
  };
}
