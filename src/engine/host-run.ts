// One host, start to end: its plays in order, each play's tasks (task-list.ts: probe →
// plan → apply), then the handlers they notified. A failed task stops this host only.
// Whatever ends the host early (a failed task, a lost connection, a timeout, an
// interrupt), every result gathered before it is kept: reports show what changed and
// where it stopped.
// The parts: host-lookup.ts (the variables a task sees), instances.ts (a task's loop
// items, conditions, parameters and what it may show), task-user.ts (its environment and
// user), host-channel.ts (scripts and probe rounds), task-list.ts (the tasks themselves).
import type { Host } from '../inventory/index.ts';
import type { Play, TaskSpec } from '../playbook/plays.ts';
import type { Transport } from '../transport/types.ts';
import type { Probed } from '../module.ts';
import type { RunControl } from './control.ts';
import { FACTS_SNIPPET, factVariables, parseFacts, playUsesFacts } from './facts.ts';
import { hostChannel, ScriptLost, type HostChannel } from './host-channel.ts';
import { INCLUDE_VARS_MODULE, readVarsFile } from '../playbook/include-vars.ts';
import { emptyVars, mergeVars } from '../vars.ts';
import { hostLookups, type MagicFor } from './host-lookup.ts';
import { magicVars, type RunMagic } from './magic-vars.ts';
import { conditionsFail, prepare, probeKey, type Prepared, type WrapFor } from './instances.ts';
import { isChange, type HostResult, type TaskResult } from './results.ts';
import { runTaskList, skipped, type Ending, type ListContext } from './task-list.ts';
import { wrapperFor, wrapScripts } from './task-user.ts';

export interface HostRunOptions {
  check: boolean;
  extraVars: Record<string, unknown>;
  /** Seconds a task's script may run unless the task says `timeout:`; 0 for no limit. */
  taskTimeoutS?: number;
  control?: RunControl;
  /** Measure the host CPU each probe and task costs (--stats). */
  measure?: boolean;
  /** Who the host's scripts run as (root when the transport becomes root). */
  scriptUser?: string;
  /** The run's magic variables, and each play's hosts in the wave now running. */
  magic?: RunMagic;
  batchOf?: (play: Play) => string[];
  /** Which of the tasks an include brings run (--tags, --skip-tags); all without it. */
  selectTasks?: (specs: readonly TaskSpec[]) => TaskSpec[];
}

export interface HostEvents {
  taskStarted(task: { number: number; name: string; handler: boolean }): void;
  taskDone(result: TaskResult): void;
}

export async function runPlays(
  host: Host,
  plays: readonly Play[],
  transport: Transport,
  options: HostRunOptions,
  events: HostEvents,
): Promise<Pick<HostResult, 'status' | 'tasks' | 'error'>> {
  const tasks: TaskResult[] = [];
  const channel = hostChannel(transport, options);
  // Read once per host, by the first play that uses them.
  // What include_vars sets stays for the run: across plays, and across serial waves (the run's).
  const runtime = options.magic?.setVars.get(host.name) ?? emptyVars();
  options.magic?.setVars.set(host.name, runtime);
  const factsBox: { facts?: Record<string, unknown>; runtime: Record<string, unknown> } = { runtime };
  for (const [p, play] of plays.entries()) {
    const ending = await runPlay(host, play, channel, options, events, tasks, factsBox);
    if (ending.kind !== 'done') {
      // What the ending kept from running is listed, so reports show the whole playbook.
      for (const later of plays.slice(p + 1)) for (const spec of later.tasks) tasks.push(skipped(later, spec, spec.name, false));
      return { status: ending.kind, tasks, ...(ending.error ? { error: ending.error } : {}) };
    }
  }
  const changed = tasks.some((t) => isChange(t.status));
  return { status: changed ? 'changed' : 'ok', tasks };
}

async function runPlay(
  host: Host,
  play: Play,
  channel: HostChannel,
  options: HostRunOptions,
  events: HostEvents,
  results: TaskResult[],
  /** The host's facts once read, and the variables its tasks set (include_vars), kept from play to play. */
  factsBox: { facts?: Record<string, unknown>; runtime: Record<string, unknown> },
): Promise<Ending> {
  const defaultTimeoutS = options.taskTimeoutS ?? 0;
  const scriptUser = options.scriptUser ?? host.user;
  const wrapFor: WrapFor = (spec, lk) => wrapperFor(spec, play.become, host.user, scriptUser, lk);
  const run = options.magic;
  const magic: MagicFor = run ? (scope) => magicVars(run, play, host, options.batchOf?.(play) ?? [host.name], scope) : () => ({});

  // Facts come back with the first probes: every task that can be read without them is
  // read speculatively in the same script (a task whose condition needs facts too — its
  // probe only reads), so a converged host still costs one round trip.
  let preProbed: Map<string, Probed> | undefined;
  if (factsBox.facts === undefined && playUsesFacts(play)) {
    // A copy of the variables tasks set: what the preview's include_vars read stays with it.
    const previewRuntime = mergeVars(emptyVars(), factsBox.runtime);
    const pending = hostLookups(play, host, options.extraVars, undefined, false, magic, previewRuntime);
    const placeholders = hostLookups(play, host, options.extraVars, undefined, true, magic, previewRuntime);
    const previewOf = (spec: TaskSpec) =>
      withVarsSet(prepare(spec, pending(spec), false, wrapFor, placeholders(spec)), previewRuntime, () => {
        pending.invalidate();
        placeholders.invalidate();
      });
    const preview = expandIncludes(play.tasks.flatMap(previewOf), (include) => includedTasks(include, previewOf, options.selectTasks))
      .filter((t) => t.error === undefined && t.skipReason === undefined);
    let read: Probed[];
    try {
      const scripts = [FACTS_SNIPPET, ...preview.map((t) => wrapScripts(t.wrap, t.spec.module.probe(t.params)))];
      read = (await channel.probeRound(scripts, defaultTimeoutS, false)) as Probed[];
    } catch (e) {
      // As when any probe fails: the play's tasks are listed, none ran.
      const error = `reading the host's facts: ${e instanceof Error ? e.message : String(e)}`;
      for (const spec of play.tasks) {
        const result = skipped(play, spec, spec.name, false);
        results.push(result);
        events.taskDone(result);
      }
      return e instanceof ScriptLost ? { kind: e.status, error: e.message } : { kind: 'failed', error };
    }
    const [factsOut, ...probed] = read;
    factsBox.facts = factVariables(parseFacts(factsOut!.stdout));
    run?.facts.set(host.name, factsBox.facts);
    preProbed = new Map(preview.map((t, k) => [probeKey(t), probed[k]!]));
  }
  const lookupFor = hostLookups(play, host, options.extraVars, factsBox.facts, false, magic, factsBox.runtime);
  // Prepared in order: an include_vars sets its variables before the tasks after it are prepared.
  const prepareTask = (spec: TaskSpec, handler: boolean) => withVarsSet(prepare(spec, lookupFor(spec), handler, wrapFor), factsBox.runtime, lookupFor.invalidate);

  const playSkip = conditionsFail(play.when, lookupFor());
  if (playSkip !== undefined) {
    // The play's own condition is false (or unreadable) here: every task says so.
    for (const spec of play.tasks) {
      const result = { ...skipped(play, spec, spec.name, false), ...(playSkip.error ? { status: 'failed' as const, error: playSkip.error } : { reason: playSkip.reason }) };
      results.push(result);
      events.taskDone(result);
    }
    return playSkip.error ? { kind: 'failed' } : { kind: 'done' };
  }
  const ctx: ListContext = {
    play,
    check: options.check,
    ...(options.control ? { control: options.control } : {}),
    defaultTimeoutS,
    channel,
    events,
    results,
    notified: new Set<string>(),
    ...(preProbed ? { preProbed } : {}),
    flush: () => {
      const handlers = play.handlers.filter((h) => h.listen.some((name) => ctx.notified.has(name)));
      ctx.notified.clear();
      return runTaskList(
        handlers.flatMap((spec) => prepareTask(spec, true)),
        ctx,
      );
    },
    expand: (include) => expandIncludes(includedTasks(include, (spec) => prepareTask(spec, include.handler), options.selectTasks), ctx.expand!),
  };
  // The play's sections (pre_tasks; roles and tasks; post_tasks), each followed by the
  // handlers notified so far, as Ansible flushes them.
  const cuts = [0, ...(play.flushAfter ?? []), play.tasks.length];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const section = play.tasks.slice(cuts[k], cuts[k + 1]);
    let ending = await runTaskList(
      expandIncludes(
        section.flatMap((spec) => prepareTask(spec, false)),
        ctx.expand!,
      ),
      ctx,
    );
    if (ending.kind === 'done' && ending.ended) {
      // meta: end_host (or end_play): the play ends here for this host, which has not failed.
      for (const later of play.tasks.slice(cuts[k + 1])) results.push(skipped(play, later, later.name, false));
      return { kind: 'done' };
    }
    // The end of a section flushes the handlers as meta: flush_handlers does.
    if (ending.kind === 'done') ending = await ctx.flush!();
    if (ending.kind !== 'done') {
      // What the ending kept from running is listed, so reports show the whole play.
      for (const later of play.tasks.slice(cuts[k + 1])) results.push(skipped(play, later, later.name, false));
      return ending;
    }
  }
  return { kind: 'done' };
}

/**
 * The tasks an include brings on this host: its file's (read with the playbook, or now for
 * the name this host renders), given the include's vars and loop item (above their own
 * vars), those the tag selection keeps, each prepared by `prepareOne`.
 */
function includedTasks(include: Prepared, prepareOne: (spec: TaskSpec) => Prepared[], select?: (specs: readonly TaskSpec[]) => TaskSpec[]): Prepared[] {
  const file = (include.params as { file: string }).file;
  const read = include.spec.include!.tasks ?? include.spec.include!.read(file);
  const given = { ...include.spec.vars, ...(include.spec.loop && 'itemValue' in include ? { [include.spec.loop.loopVar]: include.itemValue } : {}) };
  const specs = Object.keys(given).length > 0 ? read.map((spec) => ({ ...spec, vars: { ...spec.vars, ...given } })) : read;
  return (select?.(specs) ?? specs).flatMap(prepareOne);
}

/**
 * Prepared tasks with every include that can be read now followed by its tasks (marked
 * expanded), so that they are read in the same round trip as the rest: a converged host
 * still costs one. Nothing a task does can change an include's condition or file name
 * during a play in tend (no register or set_fact yet), so reading them now or when the
 * include is reached is the same; one that cannot be read now (a file missing, a fact
 * not read yet) is left to the run, which expands it when it gets there or fails it.
 */
function expandIncludes(tasks: readonly Prepared[], expand: (include: Prepared) => Prepared[]): Prepared[] {
  return tasks.flatMap((t) => {
    if (!t.spec.include || t.error !== undefined || t.skipReason !== undefined || t.params === undefined) return [t];
    let inner: Prepared[];
    try {
      inner = expand(t);
    } catch {
      return [t];
    }
    return [{ ...t, expanded: true }, ...inner];
  });
}

/**
 * An include_vars task's instances, with the variables of each that can be read set into
 * `runtime` (and the lookups made again, `changed`); one whose file cannot be read gets
 * the reason as its error, reported when it runs. Any other task's, as they are.
 */
function withVarsSet(instances: Prepared[], runtime: Record<string, unknown>, changed: () => void): Prepared[] {
  return instances.map((t) => {
    if (t.spec.module !== INCLUDE_VARS_MODULE || t.error !== undefined || t.skipReason !== undefined || t.params === undefined) return t;
    const { file, name } = t.params as { file: string; name?: string };
    try {
      mergeVars(runtime, readVarsFile(file, t.spec.varsDirs ?? [], name));
    } catch (e) {
      return { ...t, error: e instanceof Error ? e.message : String(e) };
    }
    changed();
    return t;
  });
}
