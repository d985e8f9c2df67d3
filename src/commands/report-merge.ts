// tend report merge A.json B.json …: the reports of a fleet's shards (--shard K/N, one
// CI job each) as one — one recap, one grouped DIFFERENCES section, one exit code, and
// with --json one report. Reports of different playbooks or modes, or that share a
// host, are refused: they are not shards of one run.
import chalk from 'chalk';
import { exitCode, type RunResult } from '../engine/results.ts';
import { InputError } from '../errors.ts';
import { jsonReport } from '../report/json.ts';
import { printable } from '../report/printable.ts';
import { readReport, runFromReport } from '../report/read.ts';
import { renderChanges, renderRecap } from '../report/recap.ts';
import { useColour } from './options.ts';
import { writeReports } from './playbook.ts';

export async function mergeReports(files: readonly string[], outputs: { json?: string; html?: string; color?: boolean }): Promise<number> {
  useColour({ color: outputs.color ?? true });
  if (files.length === 0) throw new InputError('report merge: name the shard reports to merge');
  const reports = await Promise.all(files.map(readReport));
  const first = reports[0]!;
  const owner = new Map<string, string>();
  reports.forEach((r, i) => {
    if (r.playbook !== first.playbook) throw new InputError(`${files[i]}: playbook ${printable(r.playbook)}, not ${printable(first.playbook)}: not shards of one run`);
    if (r.mode !== first.mode) throw new InputError(`${files[i]}: a ${r.mode} report among ${first.mode} reports`);
    for (const h of r.hosts) {
      const seen = owner.get(h.name);
      if (seen) throw new InputError(`${files[i]}: host ${printable(h.name)} is in ${seen} too: shards do not overlap`);
      owner.set(h.name, files[i]!);
    }
  });
  const runs = reports.map(runFromReport);
  const merged: RunResult = {
    mode: first.mode,
    ...(runs.some((r) => r.interrupted) ? { interrupted: true } : {}),
    durationMs: Math.max(...runs.map((r) => r.durationMs)),
    hosts: runs.flatMap((r) => r.hosts),
    ...mergedRollout(runs),
  };
  const changes = renderChanges(merged);
  if (changes.length > 0) console.log(['', chalk.bold(merged.mode === 'check' ? 'DIFFERENCES' : 'CHANGES'), ...changes].join('\n'));
  console.log(['', ...renderRecap(merged)].join('\n'));
  const code = exitCode(merged, false);
  const startedAt = new Date(Math.min(...reports.map((r) => Date.parse(r.startedAt))));
  const report = { ...jsonReport(merged, { playbook: first.playbook, inventory: first.inventory, startedAt, exitCode: code }), merged: [...files] };
  await writeReports(report, code, outputs);
  return code;
}

/** Shards roll out apart: their waves side by side, the first stop, every host never started. */
function mergedRollout(runs: RunResult[]): Pick<RunResult, 'rollout'> {
  const rollouts = runs.flatMap((r) => (r.rollout ? [r.rollout] : []));
  if (rollouts.length === 0) return {};
  const stopped = rollouts.find((r) => r.stopped)?.stopped;
  return { rollout: { waves: rollouts.flatMap((r) => r.waves), ...(stopped ? { stopped } : {}), notStarted: rollouts.flatMap((r) => r.notStarted), notFinished: rollouts.flatMap((r) => r.notFinished) } };
}
