// A list of prepared tasks on one host, in order: each task's state read, its plan made,
// its commands applied (or, in check mode, reported), and its result recorded. The state
// of every remaining task is read in one round trip, and a changed task's commands travel
// with the re-read of the tasks after it: one round trip per changed task.
import { InputError } from '../errors.ts';
import { META_MODULE, type MetaAction } from '../playbook/meta.ts';
import type { Play, TaskSpec } from '../playbook/plays.ts';
import { ShellText } from '../shell.ts';
import { TIMED_OUT } from '../transport/types.ts';
import { ProbeFailed, probedFrom, type Plan, type Probed } from '../module.ts';
import { applyScript, type ProbeScript } from './batch.ts';
import type { RunControl } from './control.ts';
import { TaskCursor } from './cursor.ts';
import { ScriptLost, type HostChannel } from './host-channel.ts';
import { probeKey, type Prepared } from './instances.ts';
import type { HostStatus, TaskResult } from './results.ts';
import { Masker, shieldResult } from './secrets.ts';
import { wrapScripts } from './task-user.ts';

/** How a list of tasks ended: all done (or ended early by meta: end_host), or why it stopped. */
export type Ending = { kind: 'done'; ended?: true } | { kind: Exclude<HostStatus, 'ok' | 'changed'>; error?: string };

export interface ListContext {
  play: Play;
  check: boolean;
  control?: RunControl;
  /** Seconds a task's commands may run unless it says `timeout:`; 0 for no limit. */
  defaultTimeoutS: number;
  channel: HostChannel;
  events: { taskStarted(task: { number: number; name: string; handler: boolean }): void; taskDone(result: TaskResult): void };
  /** The host's results so far; this list's are added. */
  results: TaskResult[];
  /** Handlers notified by what changed (or would change). */
  notified: Set<string>;
  /** The first task that would change, in check mode: later tasks that cannot be read wait for it. */
  firstPending?: { number: number; name: string };
  /** Probes read with the facts, by probe script: they serve the first tasks while they are in order. */
  preProbed?: Map<string, Probed>;
  /** An include's tasks, as this host runs them (host-run.ts); they run right after it. */
  expand?: (include: Prepared) => Prepared[];
  /** meta: flush_handlers — runs the handlers notified so far (host-run.ts). */
  flush?: () => Promise<Ending>;
}

/** The result as it may be shown: secret values masked, and nothing of its output with no_log. */
export function shielded(task: Prepared, result: TaskResult): TaskResult {
  return task.mask || task.noLog ? shieldResult(result, task.mask ?? new Masker([]), task.noLog === true) : result;
}

export function skipped(play: Play, spec: TaskSpec, name: string, handler: boolean): TaskResult {
  return { play: play.name, number: spec.number, name, module: spec.module.name, handler, status: 'skipped', changes: [], durationMs: 0 };
}

function readable(t: Prepared): boolean {
  return t.error === undefined && t.skipReason === undefined;
}

export async function runTaskList(tasks: readonly Prepared[], ctx: ListContext): Promise<Ending> {
  const { play, channel, results, events } = ctx;
  const list = new TaskCursor(tasks);
  // The probes read for the tasks from windowStart on, while the list had this generation.
  let probes: Probed[] = [];
  let windowStart = 0;
  let windowGeneration = list.generation;
  if (ctx.preProbed) {
    for (const t of list.from(0)) {
      if (!readable(t)) {
        probes.push(probedFrom([], -1));
        continue;
      }
      const found = ctx.preProbed.get(probeKey(t));
      if (!found) break;
      probes.push(found);
    }
    ctx.preProbed = undefined;
  }

  /**
   * Reads the state of every task from `i` on, in one round trip. With `apply`, the
   * previous task's commands run first in the same script: a changed task costs one
   * round trip, its re-probe included. Returns how `apply` went.
   */
  const readFrom = async (i: number, apply?: ShellText, timeoutS = ctx.defaultTimeoutS): Promise<Probed | undefined> => {
    const window = list.from(i).map((t) => (readable(t) ? wrapScripts(t.wrap, t.spec.module.probe(t.params)) : null));
    const scripts: ProbeScript[] = [...(apply ? [apply] : []), ...window.filter((s) => s !== null)];
    const parsed = await channel.probeRound(scripts, timeoutS, apply !== undefined);
    if (parsed === 'timed out') return probedFrom([], TIMED_OUT, `timed out after ${timeoutS} s`);
    const applied = apply ? parsed.shift() : undefined;
    let k = 0;
    probes = window.map((s) => (s === null ? probedFrom([], -1) : parsed[k++]!));
    windowStart = i;
    windowGeneration = list.generation;
    return applied;
  };

  for (let i = 0; i < list.length; i++) {
    const task = list.at(i);
    const base = {
      play: play.name,
      number: task.spec.number,
      name: task.name,
      module: task.spec.module.name,
      handler: task.handler,
      ...(task.item !== undefined ? { item: task.item } : {}),
    };
    const skipFrom = (from: number) => {
      for (const rest of list.from(from)) results.push(skipped(play, rest.spec, rest.name, rest.handler));
    };
    if (ctx.control?.stopping) {
      skipFrom(i);
      return { kind: 'interrupted', error: 'interrupted: no task started after the interrupt' };
    }
    const checkMode = task.spec.module.checkMode ?? 'plans';
    // check_mode: on the task wins over the run's mode, both ways, as in Ansible.
    const checking = task.spec.checkMode ?? ctx.check;
    // A false condition; or, as Ansible does for a module without check-mode support,
    // check mode itself: skipped, and said why.
    const skipReason =
      task.skipReason ??
      (checking && checkMode === 'unsupported' && task.error === undefined ? `check mode: ${task.spec.module.name} cannot tell what it would do without doing it` : undefined);
    if (skipReason !== undefined) {
      const result = shielded(task, { ...base, status: 'skipped', changes: [], durationMs: 0, reason: skipReason });
      results.push(result);
      events.taskDone(result);
      continue;
    }
    const started = Date.now();
    events.taskStarted({ number: task.spec.number, name: task.name, handler: task.handler });
    /** Host CPU of reading this task's state, and of its commands once they ran (--stats). */
    let remoteCpuMs: number | undefined;
    const finish = (r: Omit<TaskResult, keyof typeof base | 'durationMs'>) => {
      const result = shielded(task, { ...base, ...r, durationMs: Date.now() - started, ...(remoteCpuMs !== undefined ? { remoteCpuMs } : {}) });
      results.push(result);
      events.taskDone(result);
      return result;
    };
    const failAndSkipRest = (r: Omit<TaskResult, keyof typeof base | 'durationMs'>): Ending | undefined => {
      // ignore_errors: reported as failed (and ignored), and the host goes on.
      if (task.ignoreErrors ?? task.spec.ignoreErrors === true) {
        finish({ ...r, ignored: true });
        return undefined;
      }
      finish(r);
      skipFrom(i + 1);
      return { kind: 'failed' };
    };
    if (task.error !== undefined) {
      const ending = failAndSkipRest({ status: 'failed', changes: [], error: task.error });
      if (ending) return ending;
      continue;
    }
    if (task.spec.module === META_MODULE) {
      const action = (task.params as { action: MetaAction }).action;
      finish({ status: 'ok', changes: [] });
      if (action === 'end_host' || action === 'end_play') {
        skipFrom(i + 1);
        return { kind: 'done', ended: true };
      }
      if (action === 'flush_handlers' && ctx.flush) {
        const ending = await ctx.flush();
        if (ending.kind !== 'done') {
          skipFrom(i + 1);
          return ending;
        }
        // What the handlers did may change what the later tasks read: read them again.
        windowGeneration = -1;
      }
      continue;
    }
    if (task.spec.include && task.expanded) {
      finish({ status: 'ok', changes: [] });
      continue;
    }
    if (task.spec.include && ctx.expand) {
      // include_tasks: its file's tasks go in right after it, and run next.
      let included: Prepared[];
      try {
        included = ctx.expand(task);
      } catch (e) {
        const ending = failAndSkipRest({ status: 'failed', changes: [], error: e instanceof InputError ? e.format() : e instanceof Error ? e.message : String(e) });
        if (ending) return ending;
        continue;
      }
      list.insertAfter(i, included);
      finish({ status: 'ok', changes: [] });
      continue;
    }
    const timeoutS = task.spec.timeoutS ?? ctx.defaultTimeoutS;
    let plan: Plan | undefined;
    try {
      const stale = windowGeneration !== list.generation || i >= windowStart + probes.length || i < windowStart;
      if (stale) await readFrom(i);
      remoteCpuMs = probes[i - windowStart]!.cpuMs;
      plan = task.spec.module.plan(task.params, probes[i - windowStart]!);
    } catch (e) {
      if (e instanceof ScriptLost) {
        finish({ status: 'failed', changes: [], error: e.message });
        skipFrom(i + 1);
        return { kind: e.status, error: e.message };
      }
      if (e instanceof ProbeFailed && checking && ctx.firstPending) {
        finish({ status: 'pending', changes: [], after: ctx.firstPending, error: e.message });
        continue;
      }
      const ending = failAndSkipRest({ status: 'failed', changes: [], error: e instanceof Error ? e.message : String(e) });
      if (ending) return ending;
      continue;
    }
    if (plan.changes.length === 0 && plan.commands.length === 0) {
      finish({ status: 'ok', changes: [] });
      continue;
    }
    // changed_when: false — a command that only reads: checking does not run it, and
    // applying runs it without reporting a change. A read-only module is never a change.
    const quiet = task.spec.neverChanged || checkMode === 'read-only';
    // A read-only module runs in check mode as it does in apply: it changes nothing.
    if (checking && checkMode !== 'read-only') {
      if (quiet) {
        finish({ status: 'ok', changes: [] });
        continue;
      }
      for (const n of task.spec.notify) ctx.notified.add(n);
      ctx.firstPending ??= { number: task.spec.number, name: task.name };
      finish({ status: 'would-change', changes: plan.changes });
      continue;
    }
    // What this task changes may change what later tasks see: they are read again,
    // after the commands, in the same round trip.
    let applied: Probed;
    try {
      applied = await applyPlan(plan, task, timeoutS, i, list.length, ctx.channel, readFrom);
    } catch (e) {
      // The commands may have run, in part or whole: the task is reported with the
      // changes it was making, as failed, and why.
      const message = e instanceof Error ? e.message : String(e);
      finish({ status: 'failed', changes: plan.changes, error: message });
      skipFrom(i + 1);
      return e instanceof ScriptLost ? { kind: e.status, error: message } : { kind: 'failed' };
    }
    if (applied.cpuMs !== undefined) remoteCpuMs = (remoteCpuMs ?? 0) + applied.cpuMs;
    if (applied.code !== 0) {
      const ending = failAndSkipRest({ status: 'failed', changes: quiet ? [] : plan.changes, error: failureText(plan, applied, timeoutS) });
      if (ending) return ending;
      continue;
    }
    if (quiet) {
      finish({ status: 'ok', changes: [] });
      continue;
    }
    // Handlers are notified by what changed, not by what was tried.
    for (const n of task.spec.notify) ctx.notified.add(n);
    finish({ status: 'changed', changes: plan.changes });
  }
  return { kind: 'done' };
}

/** Runs a plan's commands (after its upload, when it has one); the tasks after `i` are read again on the way. */
async function applyPlan(
  plan: Plan,
  task: Prepared,
  timeoutS: number,
  i: number,
  length: number,
  channel: HostChannel,
  readFrom: (i: number, apply?: ShellText, timeoutS?: number) => Promise<Probed | undefined>,
): Promise<Probed> {
  const commands = () => wrapScripts(task.wrap, applyScript(plan.commands)) as ShellText;
  if (!plan.upload) return (await readFrom(i + 1, commands(), timeoutS))!;
  // The file travels first, streamed in a round trip of its own; then the rest.
  const up = await channel.send(wrapScripts(task.wrap, plan.upload.script, true) as ShellText, timeoutS, plan.upload.file);
  if (up.code !== 0) return probedFrom([], up.code, up.code === TIMED_OUT ? `timed out after ${timeoutS} s` : up.stderr.toString());
  if (plan.commands.length > 0) return (await readFrom(i + 1, commands(), timeoutS))!;
  if (i + 1 < length) await readFrom(i + 1);
  return probedFrom([], 0);
}

/** Why a task's commands failed, as its result says it (a secret task's output hidden). */
function failureText(plan: Plan, applied: Probed, timeoutS: number): string {
  if (applied.code === TIMED_OUT) return `timed out after ${timeoutS} s (raise it with timeout: on the task, or --task-timeout)`;
  const secret = plan.changes.some((c) => c.secret);
  const output = `${applied.stderr.trim()}\n${applied.stdout.trim()}`.trim();
  return `exit ${applied.code}: ${secret ? '(output hidden: the task has secret values)' : lastLines(output, 15)}`;
}

function lastLines(text: string, n: number): string {
  const all = text.split('\n');
  return all.length <= n ? text : ['…', ...all.slice(-n)].join('\n');
}
