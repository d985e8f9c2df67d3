// A list of prepared tasks on one host, in order: each task's state read, its plan made,
// its commands applied (or, in check mode, reported), and its result recorded. The state
// of every remaining task is read in one round trip, and a changed task's commands travel
// with the re-read of the tasks after it: one round trip per changed task.
import { InputError } from '../errors.ts';
import { isControllerAction } from '../playbook/controller-actions.ts';
import { META_MODULE, type MetaAction } from '../playbook/meta.ts';
import type { Play, TaskSpec } from '../playbook/plays.ts';
import type { Lookup } from '../playbook/template.ts';
import { ShellText } from '../shell.ts';
import { TIMED_OUT } from '../transport/types.ts';
import { ProbeFailed, probedFrom, type Change, type CheckMode, type CommandsRan, type Plan, type Probed } from '../module.ts';
import { mergeVars } from '../vars.ts';
import { applyScript, type ProbeScript } from './batch.ts';
import type { RunControl } from './control.ts';
import { TaskCursor } from './cursor.ts';
import { ScriptLost, type HostChannel } from './host-channel.ts';
import type { LookupFor } from './host-lookup.ts';
import { ResultUnknown, type HostVarsState, type TaskRef } from './host-state.ts';
import { probeKey, type Prepared } from './instances.ts';
import { afterLookup, itemValue, judge, loopValue, skippedValue, untilHolds, type Registered } from './registered.ts';
import type { HostStatus, TaskResult, TaskStatus } from './results.ts';
import { Masker, shieldResult } from './secrets.ts';
import { wrapScripts } from './task-user.ts';
import { readable, type Walker } from './walk.ts';

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
  /** meta: flush_handlers — runs the handlers notified so far (host-run.ts). */
  flush?: () => Promise<Ending>;
  /** What tasks set on this host (set_fact, register, include_vars). */
  state: HostVarsState;
  /** The variables a task sees now (after what has run); made again once what tasks set changes. */
  lookupFor: LookupFor & { invalidate(): void };
  /** Prepares tasks that wait (for a registered result) or that an include brings, when the run reaches them. */
  walk: Walker;
}

/** The result as it may be shown: secret values masked, and nothing of its output with no_log. */
export function shielded(task: Prepared, result: TaskResult): TaskResult {
  return task.mask || task.noLog ? shieldResult(result, task.mask ?? new Masker([]), task.noLog === true) : result;
}

export function skipped(play: Play, spec: TaskSpec, name: string, handler: boolean): TaskResult {
  return { play: play.name, number: spec.number, name, module: spec.module.name, handler, status: 'skipped', changes: [], durationMs: 0 };
}

/** What a task came to, before the keywords that read its result (changed_when, failed_when) judge it. */
interface Outcome {
  status: Exclude<TaskStatus, 'pending' | 'skipped'>;
  changes: Change[];
  error?: string;
  msg?: string;
  /** Its result for `register` (the module's keys; the common ones are added), or unknown (check mode). */
  value: Registered | 'unknown';
  /** Check mode: its state cannot be read until an earlier task's change is made (a tool it installs). */
  pendingAfter?: TaskRef;
}

/** Why a task is pending in check mode: what it reads, only running an earlier task gives. */
const readsUnknown = (variable: string, after: TaskRef) => `reads '${variable}', known once task ${after.number} (${after.name}) has run`;

export async function runTaskList(tasks: readonly Prepared[], ctx: ListContext): Promise<Ending> {
  const { play, channel, results, events, state } = ctx;
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
  /** A loop's item results so far, registered together after its last item. */
  let loopResults: Registered[] = [];
  /** Host CPU of reading the running task's state, and of its commands once they ran (--stats). */
  let remoteCpuMs: number | undefined;
  /** The changes a task was making when its connection was lost: reported with its failure. */
  let changesWhenLost: Change[] = [];

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

  /** The variables a task sees now, its loop item included. */
  const nowLookup = (task: Prepared): Lookup => {
    const lookup = ctx.lookupFor(task.spec);
    const loopVar = task.loopAt && task.spec.loop ? task.spec.loop.loopVar : undefined;
    return loopVar === undefined ? lookup : (name) => (name === loopVar ? task.itemValue : lookup(name));
  };

  /** Keeps a task's result under its registered name (a loop's, once its last item is in). */
  const register = (task: Prepared, value: Registered | 'unknown', after?: TaskRef) => {
    const name = task.spec.register;
    if (name === undefined) return;
    if (task.loopAt) {
      if (task.loopAt.index === 0) loopResults = [];
      if (value === 'unknown') loopResults.push({ unknown: true });
      else loopResults.push(itemValue(task, value));
      if (task.loopAt.index < task.loopAt.size - 1) return;
      value = loopResults.some((r) => r.unknown === true) ? 'unknown' : loopValue(loopResults);
    }
    if (value === 'unknown') state.unknown.set(name, after ?? { number: task.spec.number, name: task.name });
    else {
      state.unknown.delete(name);
      state.facts[name] = value;
    }
    ctx.lookupFor.invalidate();
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
    if (task.waits) {
      // It reads what a task before it registered: prepared again, now that it has run
      // (with the tasks after it that wait too).
      const again = ctx.walk.rewalk(list.from(i));
      list.replaceFrom(i, again[0]?.waits ? [{ ...again[0], waits: undefined, error: `cannot be prepared: ${again[0].waits.message}` }, ...again.slice(1)] : again);
      i--;
      continue;
    }
    if (task.unknown) {
      // Check mode: what it reads, an earlier task gives only when it runs; it waits for that task.
      const { variable, after } = task.unknown;
      const result = shielded(task, { ...base, status: 'pending', changes: [], durationMs: 0, after, error: readsUnknown(variable, after) });
      results.push(result);
      events.taskDone(result);
      const module = task.spec.module;
      if (isControllerAction(module)) for (const name of module.sets?.(task.spec.params) ?? []) state.unknown.set(name, after);
      register(task, 'unknown', after);
      continue;
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
      register(task, skippedValue(skipReason, task.skipReason !== undefined));
      continue;
    }
    const started = Date.now();
    events.taskStarted({ number: task.spec.number, name: task.name, handler: task.handler });
    remoteCpuMs = undefined;
    changesWhenLost = [];
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
      register(task, { changed: false, failed: true, msg: task.error });
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
    if (task.spec.include) {
      // include_tasks: its file's tasks go in right after it, and run next (prepared with
      // the tasks after them, which may read what they set).
      try {
        const included = ctx.walk.included(task);
        list.replaceFrom(i + 1, ctx.walk.rewalk([...included, ...list.from(i + 1)]));
      } catch (e) {
        const ending = failAndSkipRest({ status: 'failed', changes: [], error: e instanceof InputError ? e.format() : e instanceof Error ? e.message : String(e) });
        if (ending) return ending;
        continue;
      }
      finish({ status: 'ok', changes: [] });
      continue;
    }

    let outcome: Outcome;
    const module = task.spec.module;
    if (isControllerAction(module)) {
      // set_fact, debug, assert, fail: decided here, with the variables as they are now.
      let acted;
      try {
        acted = module.act(task.params, nowLookup(task));
      } catch (e) {
        if (!(e instanceof ResultUnknown)) {
          register(task, { changed: false, failed: true, msg: e instanceof Error ? e.message : String(e) });
          const ending = failAndSkipRest({ status: 'failed', changes: [], error: e instanceof Error ? e.message : String(e) });
          if (ending) return ending;
          continue;
        }
        finish({ status: 'pending', changes: [], after: e.after, error: readsUnknown(e.variable, e.after) });
        register(task, 'unknown', e.after);
        continue;
      }
      if (acted.skipped) {
        const result = shielded(task, { ...base, status: 'skipped', changes: [], durationMs: 0, reason: acted.msg ?? 'skipped' });
        results.push(result);
        events.taskDone(result);
        register(task, { ...acted.registered, changed: false, skipped: true });
        continue;
      }
      const facts = task.sets?.facts ?? acted.facts;
      if (facts) {
        mergeVars(state.facts, facts);
        for (const name of Object.keys(facts)) state.unknown.delete(name);
        ctx.lookupFor.invalidate();
      }
      outcome = {
        status: acted.failed ? 'failed' : 'ok',
        changes: [],
        ...(acted.msg !== undefined ? { msg: acted.msg } : {}),
        ...(acted.failed ? { error: acted.msg ?? 'failed' } : {}),
        value: { ...acted.registered, changed: false, ...(acted.failed ? { failed: true } : {}) },
      };
    } else {
      if (task.sets?.included) {
        mergeVars(state.included, task.sets.included);
        ctx.lookupFor.invalidate();
      }
      const timeoutS = task.spec.timeoutS ?? ctx.defaultTimeoutS;
      const attempts = checking ? 1 : (task.spec.until?.attempts ?? 1);
      let ran: Outcome | undefined;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        if (attempt > 1) {
          // until: not yet; the state is read again (the last attempt may have changed it).
          await new Promise((r) => setTimeout(r, task.spec.until!.delayS * 1000));
          windowGeneration = -1;
        }
        try {
          ran = await runModule(task, i, checking, checkMode, timeoutS);
        } catch (e) {
          if (!(e instanceof ScriptLost)) throw e;
          finish({ status: 'failed', changes: changesWhenLost, error: e.message });
          skipFrom(i + 1);
          return { kind: e.status, error: e.message };
        }
        if (task.spec.until === undefined || ran.value === 'unknown') break;
        ran.value.attempts = attempt;
        if (untilHoldsSafely(task, ran.value)) break;
        if (attempt === attempts) {
          ran = { ...ran, status: 'failed', error: `until: still false after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${task.spec.until.conditions.map((c) => c.expr.trim()).join(' and ')}` };
          ran.value = { ...(ran.value as Registered), failed: true };
        }
      }
      outcome = ran!;
      if (outcome.pendingAfter) {
        finish({ status: 'pending', changes: [], after: outcome.pendingAfter, ...(outcome.error !== undefined ? { error: outcome.error } : {}) });
        register(task, 'unknown', outcome.pendingAfter);
        continue;
      }
    }

    // changed_when and failed_when read the result (by the registered name); then it is registered.
    let { status } = outcome;
    let value = outcome.value;
    let error = outcome.error;
    if (value !== 'unknown') value = { changed: status === 'changed' || status === 'would-change', ...value, failed: status === 'failed', ...(status === 'failed' && value.msg === undefined && error ? { msg: error } : {}) };
    if (task.spec.changedWhen || task.spec.failedWhen) {
      const judged = judge(task.spec, value === 'unknown' ? {} : value, afterLookup(task, nowLookup(task), value));
      if (value !== 'unknown' || judged.error) {
        const wasChange = status === 'changed' || status === 'would-change';
        const changeStatus: typeof status = checking && (checkMode !== 'read-only' || status === 'would-change') ? 'would-change' : 'changed';
        status = judged.failed ? 'failed' : judged.changed ? (wasChange ? status : changeStatus) : 'ok';
        if (judged.failed) error = judged.error ?? error;
        else error = undefined;
        if (value !== 'unknown') value = { ...value, ...judged.adds, changed: judged.changed, failed: judged.failed };
      }
    }
    register(task, value);
    const shown = { ...(outcome.msg !== undefined ? { msg: outcome.msg } : {}) };
    if (status === 'failed') {
      const ending = failAndSkipRest({ status: 'failed', changes: outcome.changes, ...shown, ...(error !== undefined ? { error } : {}) });
      if (ending) return ending;
      continue;
    }
    if (status === 'changed' || status === 'would-change') {
      // Handlers are notified by what changed (or would), not by what was tried.
      for (const n of task.spec.notify) ctx.notified.add(n);
      if (status === 'would-change') ctx.firstPending ??= { number: task.spec.number, name: task.name };
    }
    finish({ status, changes: status === 'ok' ? [] : outcome.changes, ...shown });
  }
  return { kind: 'done' };

  /** until, read with this attempt's result; a condition that cannot be read ends the retries. */
  function untilHoldsSafely(task: Prepared, value: Registered): boolean {
    try {
      return untilHolds(task.spec, afterLookup(task, nowLookup(task), value));
    } catch {
      return true;
    }
  }

  /** A module's task on the host: its state read, its plan made, its commands run (unless checking). */
  async function runModule(task: Prepared, i: number, checking: boolean, checkMode: CheckMode, timeoutS: number): Promise<Outcome> {
    const module = task.spec.module;
    let plan: Plan;
    let probed: Probed;
    try {
      const stale = windowGeneration !== list.generation || i >= windowStart + probes.length || i < windowStart;
      if (stale) await readFrom(i);
      probed = probes[i - windowStart]!;
      remoteCpuMs = probed.cpuMs;
      plan = module.plan(task.params, probed);
    } catch (e) {
      if (e instanceof ScriptLost) throw e;
      if (e instanceof ProbeFailed && checking && ctx.firstPending) {
        return { status: 'would-change', changes: [], error: e.message, value: 'unknown', pendingAfter: ctx.firstPending };
      }
      const message = e instanceof Error ? e.message : String(e);
      return { status: 'failed', changes: [], error: message, value: { msg: message } };
    }
    const returns = (ran?: CommandsRan): Registered => module.returns?.(task.params, probed, plan, { check: checking, ...(ran ? { ran } : {}) }) ?? {};
    if (plan.changes.length === 0 && plan.commands.length === 0) return { status: 'ok', changes: [], value: returns() };
    // changed_when: false — a command that only reads: checking does not run it, and
    // applying runs it without reporting a change. A read-only module is never a change.
    const quiet = task.spec.neverChanged || checkMode === 'read-only';
    // A read-only module runs in check mode as it does in apply: it changes nothing.
    if (checking && checkMode !== 'read-only') {
      const value = module.resultNeedsRun ? 'unknown' : returns();
      if (quiet) return { status: 'ok', changes: [], value };
      return { status: 'would-change', changes: plan.changes, value };
    }
    // What this task changes may change what later tasks see: they are read again,
    // after the commands, in the same round trip.
    let applied: Probed;
    const start = new Date();
    try {
      applied = await applyPlan(plan, task, timeoutS, i, list.length, ctx.channel, readFrom);
    } catch (e) {
      if (e instanceof ScriptLost) {
        changesWhenLost = plan.changes;
        throw e;
      }
      // The commands may have run, in part or whole: the task is reported with the
      // changes it was making, as failed, and why.
      const message = e instanceof Error ? e.message : String(e);
      return { status: 'failed', changes: plan.changes, error: message, value: { msg: message } };
    }
    const ran: CommandsRan = { code: applied.code, stdout: applied.stdout, stderr: applied.stderr, start, end: new Date() };
    if (applied.cpuMs !== undefined) remoteCpuMs = (remoteCpuMs ?? 0) + applied.cpuMs;
    // It ran: a change, as Ansible's command says, whatever its exit status (unless it only reads).
    if (applied.code !== 0) return { status: 'failed', changes: quiet ? [] : plan.changes, error: failureText(plan, applied, timeoutS), value: { ...returns(ran), changed: !quiet } };
    if (quiet) return { status: 'ok', changes: [], value: returns(ran) };
    return { status: 'changed', changes: plan.changes, value: returns(ran) };
  }
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
