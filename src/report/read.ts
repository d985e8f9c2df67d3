// A saved JSON report (written by --json) read back: checked against its schema, and
// turned back into the run it describes, for `tend report merge` and `tend report html`.
import { readFileSync } from 'node:fs';
import type { HostResult, Rollout, RunResult, TaskResult } from '../engine/results.ts';
import type { Change } from '../module.ts';
import { InputError } from '../errors.ts';

export interface JsonChange {
  subject: string;
  kind: Change['kind'];
  secret?: boolean;
  before?: string | null;
  after?: string | null;
  reason?: string;
}

export interface JsonReport {
  mode: 'apply' | 'check';
  playbook: string;
  inventory: string;
  startedAt: string;
  durationMs: number;
  interrupted?: boolean;
  limit?: string;
  shard?: string;
  merged?: string[];
  exitCode?: number;
  rollout?: Rollout;
  hosts: {
    name: string;
    status: HostResult['status'];
    error?: string;
    stats: HostResult['stats'];
    tasks: (Omit<TaskResult, 'status' | 'changes' | 'after'> & { status: string; afterTask?: TaskResult['after']; changes: JsonChange[] })[];
  }[];
}

/** Reads a report and checks it against schema/report.schema.json: exit 8 with the JSON path of its first problem. */
export async function readReport(file: string): Promise<JsonReport> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file}: not a tend JSON report (${(e as Error).message})`);
  }
  const { reportProblem } = await import('./validate.ts');
  const problem = reportProblem(data);
  if (problem !== undefined) throw new InputError(`${file}: ${problem}`);
  return data as JsonReport;
}

/** A JSON report back into the run it describes (secret values stay out: they were never in it). */
export function runFromReport(report: JsonReport): RunResult {
  return {
    mode: report.mode,
    ...(report.interrupted ? { interrupted: true } : {}),
    ...(report.rollout ? { rollout: report.rollout } : {}),
    durationMs: report.durationMs,
    hosts: report.hosts.map((h) => ({
      host: h.name,
      status: h.status,
      ...(h.error !== undefined ? { error: h.error } : {}),
      stats: h.stats,
      tasks: h.tasks.map((t) => {
        const { afterTask, ...rest } = t;
        return {
          ...rest,
          status: (t.status === 'would-change' && afterTask ? 'pending' : t.status) as TaskResult['status'],
          ...(afterTask ? { after: afterTask } : {}),
          changes: t.changes.map((c) => ({ ...c, before: c.before ?? null, after: c.after ?? null })),
        };
      }),
    })),
  };
}
