// tend report merge A.json B.json …: the reports of a fleet's shards (--shard K/N, one
// CI job each) as one — one recap, one grouped DIFFERENCES section, one exit code, and
// with --json one report. Reports of different playbooks or modes, or that share a
// host, are refused: they are not shards of one run.
import { readFileSync } from 'node:fs';
import chalk from 'chalk';
import { exitCode, type HostResult, type RunResult, type TaskResult } from '../engine/results.ts';
import type { Change } from '../engine/task.ts';
import { InputError } from '../errors.ts';
import { jsonReport } from '../report/json.ts';
import { renderChanges, renderRecap } from '../report/recap.ts';
import { writeReportFile } from './playbook.ts';

interface JsonChange {
  subject: string;
  kind: Change['kind'];
  secret?: boolean;
  before?: string | null;
  after?: string | null;
  reason?: string;
}

interface JsonReport {
  mode: 'apply' | 'check';
  playbook: string;
  inventory: string;
  startedAt: string;
  durationMs: number;
  interrupted?: boolean;
  hosts: {
    name: string;
    status: HostResult['status'];
    error?: string;
    stats: HostResult['stats'];
    tasks: (Omit<TaskResult, 'status' | 'changes' | 'after'> & { status: string; afterTask?: TaskResult['after']; changes: JsonChange[] })[];
  }[];
}

function read(file: string): JsonReport {
  let data: JsonReport;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as JsonReport;
  } catch (e) {
    throw new InputError(`${file}: not a tend JSON report (${(e as Error).message})`);
  }
  if (data === null || typeof data !== 'object' || !Array.isArray(data.hosts) || (data.mode !== 'apply' && data.mode !== 'check')) {
    throw new InputError(`${file}: not a tend JSON report (written by --json)`);
  }
  return data;
}

/** A JSON report back into the run it describes (secret values stay out: they were never in it). */
function toRun(report: JsonReport): RunResult {
  return {
    mode: report.mode,
    ...(report.interrupted ? { interrupted: true } : {}),
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

export function mergeReports(files: readonly string[], json?: string): number {
  if (files.length === 0) throw new InputError('report merge: name the shard reports to merge');
  const reports = files.map(read);
  const first = reports[0]!;
  const owner = new Map<string, string>();
  reports.forEach((r, i) => {
    if (r.playbook !== first.playbook) throw new InputError(`${files[i]}: playbook ${r.playbook}, not ${first.playbook}: not shards of one run`);
    if (r.mode !== first.mode) throw new InputError(`${files[i]}: a ${r.mode} report among ${first.mode} reports`);
    for (const h of r.hosts) {
      const seen = owner.get(h.name);
      if (seen) throw new InputError(`${files[i]}: host ${h.name} is in ${seen} too: shards do not overlap`);
      owner.set(h.name, files[i]!);
    }
  });
  const runs = reports.map(toRun);
  const merged: RunResult = {
    mode: first.mode,
    ...(runs.some((r) => r.interrupted) ? { interrupted: true } : {}),
    durationMs: Math.max(...runs.map((r) => r.durationMs)),
    hosts: runs.flatMap((r) => r.hosts),
  };
  const changes = renderChanges(merged);
  if (changes.length > 0) console.log(['', chalk.bold(merged.mode === 'check' ? 'DIFFERENCES' : 'CHANGES'), ...changes].join('\n'));
  console.log(['', ...renderRecap(merged)].join('\n'));
  if (json !== undefined) {
    const startedAt = new Date(Math.min(...reports.map((r) => Date.parse(r.startedAt))));
    const report = { ...jsonReport(merged, { playbook: first.playbook, inventory: first.inventory, startedAt }), merged: [...files] };
    const text = `${JSON.stringify(report, null, 2)}\n`;
    if (json === '-') process.stdout.write(text);
    else writeReportFile(json, text);
  }
  return exitCode(merged, false);
}
