// One host, start to end: its plays in order, each task probe → plan → apply, then the
// notified handlers. A failed task stops this host only.
import type { Host } from '../inventory/index.ts';
import { paramsForHost, type Play, type TaskSpec } from '../playbook/load.ts';
import { renderString, variableLookup, type Lookup } from '../playbook/template.ts';
import type { ShellText } from '../shell.ts';
import type { Transport } from '../transport/types.ts';
import { applyScript, probeBatch, type ProbeScript } from './batch.ts';
import { isChange, type HostResult, type TaskResult } from './results.ts';
import { ProbeFailed, probedFrom, type Plan, type Probed } from './task.ts';

export interface HostRunOptions {
  check: boolean;
  extraVars: Record<string, unknown>;
}

export interface HostEvents {
  taskStarted(task: { number: number; name: string; handler: boolean }): void;
  taskDone(result: TaskResult): void;
}

interface Prepared {
  spec: TaskSpec;
  name: string;
  handler: boolean;
  params?: unknown;
  /** Set when the parameters could not be rendered for this host. */
  error?: string;
}

export async function runPlays(
  host: Host,
  plays: readonly Play[],
  transport: Transport,
  options: HostRunOptions,
  events: HostEvents,
): Promise<Pick<HostResult, 'status' | 'tasks'>> {
  const tasks: TaskResult[] = [];
  for (const [p, play] of plays.entries()) {
    const failed = await runPlay(host, play, transport, options, events, tasks);
    if (failed) {
      // What a failure kept from running is listed, so reports show the whole playbook.
      for (const later of plays.slice(p + 1)) for (const spec of later.tasks) tasks.push(skipped(later, spec, spec.name, false));
      return { status: 'failed', tasks };
    }
  }
  const changed = tasks.some((t) => isChange(t.status));
  return { status: changed ? 'changed' : 'ok', tasks };
}

async function runPlay(
  host: Host,
  play: Play,
  transport: Transport,
  options: HostRunOptions,
  events: HostEvents,
  results: TaskResult[],
): Promise<boolean> {
  // Play vars are defaults; the inventory overrides them; -e overrides everything.
  const lookup = variableLookup([play.vars, host.vars, options.extraVars]);
  const notified = new Set<string>();
  let firstPending: { number: number; name: string } | undefined;

  const runList = async (list: Prepared[]): Promise<boolean> => {
    let probes: Probed[] = [];
    let windowStart = 0;
    /**
     * Reads the state of every task from `i` on, in one round trip. With `apply`, the
     * previous task's commands run first in the same script: a changed task costs one
     * round trip, its re-probe included. Returns how `apply` went.
     */
    const readFrom = async (i: number, apply?: ShellText): Promise<Probed | undefined> => {
      const window = list.slice(i).map((t) => (t.error === undefined ? t.spec.module.probe(t.params) : null));
      const scripts: ProbeScript[] = [...(apply ? [apply] : []), ...window.filter((s) => s !== null)];
      const batch = probeBatch(scripts);
      const out = await transport.run(batch.script);
      if (out.code !== 0 && out.stdout.length === 0) {
        throw new Error(`probe script failed (exit ${out.code}): ${out.stderr.toString().trim()}`);
      }
      const parsed = batch.parse(out.stdout);
      const applied = apply ? parsed.shift() : undefined;
      let k = 0;
      probes = window.map((s) => (s === null ? probedFrom([], -1) : parsed[k++]!));
      windowStart = i;
      return applied;
    };

    for (let i = 0; i < list.length; i++) {
      const task = list[i]!;
      const started = Date.now();
      events.taskStarted({ number: task.spec.number, name: task.name, handler: task.handler });
      const base = {
        play: play.name,
        number: task.spec.number,
        name: task.name,
        module: task.spec.module.name,
        handler: task.handler,
      };
      const finish = (r: Omit<TaskResult, keyof typeof base | 'durationMs'>) => {
        const result: TaskResult = { ...base, ...r, durationMs: Date.now() - started };
        results.push(result);
        events.taskDone(result);
        return result;
      };
      const failAndSkipRest = (r: Omit<TaskResult, keyof typeof base | 'durationMs'>) => {
        finish(r);
        for (const rest of list.slice(i + 1)) results.push(skipped(play, rest.spec, rest.name, rest.handler));
        return true;
      };
      if (task.error !== undefined) return failAndSkipRest({ status: 'failed', changes: [], error: task.error });
      if (i >= windowStart + probes.length || i < windowStart) await readFrom(i);
      let plan: Plan;
      try {
        plan = task.spec.module.plan(task.params, probes[i - windowStart]!);
      } catch (e) {
        if (e instanceof ProbeFailed && options.check && firstPending) {
          finish({ status: 'pending', changes: [], after: firstPending, error: e.message });
          continue;
        }
        return failAndSkipRest({ status: 'failed', changes: [], error: e instanceof Error ? e.message : String(e) });
      }
      if (plan.changes.length === 0 && plan.commands.length === 0) {
        finish({ status: 'ok', changes: [] });
        continue;
      }
      for (const n of task.spec.notify) notified.add(n);
      if (options.check) {
        firstPending ??= { number: task.spec.number, name: task.name };
        finish({ status: 'would-change', changes: plan.changes });
        continue;
      }
      // What this task changes may change what later tasks see: they are read again,
      // after the commands, in the same round trip.
      const applied = (await readFrom(i + 1, applyScript(plan.commands)))!;
      if (applied.code !== 0) {
        const output = `${applied.stderr.trim()}\n${applied.stdout.trim()}`.trim();
        return failAndSkipRest({ status: 'failed', changes: plan.changes, error: `exit ${applied.code}: ${lastLines(output, 15)}` });
      }
      finish({ status: 'changed', changes: plan.changes });
    }
    return false;
  };

  const tasks = play.tasks.map((spec) => prepare(spec, lookup, false));
  if (await runList(tasks)) return true;
  const handlers = play.handlers.filter((h) => h.listen.some((name) => notified.has(name)));
  return runList(handlers.map((spec) => prepare(spec, lookup, true)));
}

function skipped(play: Play, spec: TaskSpec, name: string, handler: boolean): TaskResult {
  return { play: play.name, number: spec.number, name, module: spec.module.name, handler, status: 'skipped', changes: [], durationMs: 0 };
}

function prepare(spec: TaskSpec, lookup: Lookup, handler: boolean): Prepared {
  let name = spec.name;
  try {
    name = String(renderString(spec.name, lookup));
  } catch {
    // A name that cannot be rendered is shown as written.
  }
  try {
    return { spec, name, handler, params: paramsForHost(spec, lookup) };
  } catch (e) {
    return { spec, name, handler, error: e instanceof Error ? e.message : String(e) };
  }
}

function lastLines(text: string, n: number): string {
  const all = text.split('\n');
  return all.length <= n ? text : ['…', ...all.slice(-n)].join('\n');
}
