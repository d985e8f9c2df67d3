// The end of every run: changes grouped across hosts (so 200 hosts with the same drift
// read as one line), then one recap line per host, then totals. Each printer reads the
// run through printableAll: whatever a host or a fact put in it is shown, not obeyed.
import chalk from 'chalk';
import type { RunResult } from '../engine/results.ts';
import { formatChange, statusWord, taskLabel } from './format.ts';
import { printableAll } from './printable.ts';

export function renderChanges(raw: RunResult): string[] {
  const run = printableAll(raw);
  const groups = new Map<string, { hosts: string[]; lines: string[] }>();
  for (const h of run.hosts) {
    for (const t of h.tasks) {
      if (t.status === 'ok' || t.status === 'skipped') continue;
      const head = `${taskLabel(t, t.module)}: ${statusWord(t, run.mode === 'check')}`;
      const lines = [head, ...t.changes.flatMap(formatChange).map((l) => `    ${l}`)];
      if (t.error) lines.push(...t.error.split('\n').map((l) => `    ${chalk.red(l)}`));
      const key = lines.join('\n');
      const g = groups.get(key) ?? { hosts: [], lines };
      g.hosts.push(h.host);
      groups.set(key, g);
    }
  }
  const out: string[] = [];
  for (const g of groups.values()) {
    out.push(`${chalk.bold(g.hosts.join(', '))}: ${g.lines[0]}`, ...g.lines.slice(1));
  }
  return out;
}

export function renderRecap(raw: RunResult): string[] {
  const run = printableAll(raw);
  const width = Math.max(4, ...run.hosts.map((h) => h.host.length));
  const out = [chalk.bold('RECAP')];
  const totals = { ok: 0, changed: 0, failed: 0, unreachable: 0, interrupted: 0 };
  for (const h of [...run.hosts].sort((a, b) => a.host.localeCompare(b.host, undefined, { numeric: true }))) {
    const n = (s: string) => h.tasks.filter((t) => t.status === s).length;
    const changed = n('changed') + n('would-change') + n('pending');
    const ignored = h.tasks.filter((t) => t.status === 'failed' && t.ignored).length;
    const failed = n('failed') - ignored + (h.status === 'failed' && n('failed') === ignored ? 1 : 0);
    const unreachable = h.status === 'unreachable' ? 1 : 0;
    totals.ok += h.status === 'ok' ? 1 : 0;
    totals.changed += h.status === 'changed' ? 1 : 0;
    totals.failed += h.status === 'failed' ? 1 : 0;
    totals.unreachable += unreachable;
    totals.interrupted += h.status === 'interrupted' ? 1 : 0;
    const colour = unreachable || failed ? chalk.red : changed || h.status === 'interrupted' ? chalk.yellow : chalk.green;
    const changedWord = run.mode === 'check' ? 'would-change' : 'changed';
    const skippedPart = (n('skipped') > 0 ? `  skipped=${n('skipped')}` : '') + (ignored > 0 ? `  ignored=${ignored}` : '');
    const interruptedPart = h.status === 'interrupted' ? '  interrupted' : '';
    const line = `${h.host.padEnd(width)}  ok=${n('ok')}  ${changedWord}=${changed}  failed=${failed}  unreachable=${unreachable}${skippedPart}${interruptedPart}`;
    out.push(colour(line));
    if (h.error) out.push(chalk.red(`${' '.repeat(width)}  ${h.error}`));
  }
  const seconds = (run.durationMs / 1000).toFixed(1);
  const verb = run.mode === 'check' ? 'drifted' : 'changed';
  out.push(...renderRollout(run));
  const notStarted = run.rollout?.notStarted.length ?? 0;
  out.push(
    `${run.hosts.length} host(s): ${totals.ok} in sync, ${totals.changed} ${verb}, ${totals.failed} failed, ${totals.unreachable} unreachable` +
      `${totals.interrupted > 0 ? `, ${totals.interrupted} interrupted` : ''}${notStarted > 0 ? `; ${notStarted} never started` : ''}` +
      ` — ${seconds}s${run.interrupted ? ' (interrupted)' : ''}`,
  );
  return out;
}

/** Where a stopped rollout stopped, and the hosts it never started (of a run already made printable). */
function renderRollout(run: RunResult): string[] {
  const rollout = run.rollout;
  if (!rollout?.stopped) return [];
  const s = rollout.stopped;
  const lines = [chalk.red(`rollout stopped in play '${s.play}', wave ${s.wave} of ${s.waves}: ${s.reason}`)];
  if (rollout.notStarted.length > 0) lines.push(chalk.yellow(`never started (${rollout.notStarted.length}): ${rollout.notStarted.join(', ')}`));
  if (rollout.notFinished.length > 0) lines.push(chalk.yellow(`later plays not run (${rollout.notFinished.length}): ${rollout.notFinished.join(', ')}`));
  return lines;
}

/** --stats: where the time went, per host and per task. */
export function renderStats(raw: RunResult): string[] {
  const run = printableAll(raw);
  const kb = (n: number) => `${(n / 1024).toFixed(1)}kB`;
  const width = Math.max(4, ...run.hosts.map((h) => h.host.length));
  const out = [chalk.bold('STATS')];
  for (const h of [...run.hosts].sort((a, b) => a.host.localeCompare(b.host, undefined, { numeric: true }))) {
    const s = h.stats;
    out.push(
      `${h.host.padEnd(width)}  round-trips=${s.roundTrips}  sent=${kb(s.bytesSent)}  received=${kb(s.bytesReceived)}  connect=${s.connectMs}ms  total=${s.durationMs}ms` +
        (s.remoteCpuMs !== undefined ? `  host-cpu=${s.remoteCpuMs}ms` : ''),
    );
  }
  const byTask = new Map<string, { times: number[]; cpu: number[] }>();
  for (const h of run.hosts) {
    for (const t of h.tasks) {
      if (t.status === 'skipped') continue;
      const key = taskLabel(t);
      const entry = byTask.get(key) ?? { times: [], cpu: [] };
      entry.times.push(t.durationMs);
      if (t.remoteCpuMs !== undefined) entry.cpu.push(t.remoteCpuMs);
      byTask.set(key, entry);
    }
  }
  const medianMax = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `${sorted[Math.floor(sorted.length / 2)]}ms / ${sorted[sorted.length - 1]}ms`;
  };
  if (byTask.size > 0) out.push('task times, and host CPU of reading state and changing it (median / max over hosts):');
  for (const [key, { times, cpu }] of byTask) out.push(`  ${key}: ${medianMax(times)}${cpu.length > 0 ? `  host-cpu ${medianMax(cpu)}` : ''}`);
  return out;
}
