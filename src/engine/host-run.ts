// One host, start to end: its plays in order, each play's tasks (task-list.ts: probe →
// plan → apply), then the handlers they notified. A failed task stops this host only.
// Whatever ends the host early (a failed task, a lost connection, a timeout, an
// interrupt), every result gathered before it is kept: reports show what changed and
// where it stopped.
// The parts: host-lookup.ts (the variables a task sees), host-state.ts (what tasks set),
// walk.ts (tasks prepared ahead, in order), instances.ts (a task's loop items, conditions,
// parameters and what it may show), task-user.ts (its environment and user),
// host-channel.ts (scripts and probe rounds), task-list.ts (the tasks themselves).
import type { Host } from '../inventory/index.ts';
import type { Play, TaskSpec } from '../playbook/plays.ts';
import type { Transport } from '../transport/types.ts';
import type { Probed } from '../module.ts';
import type { RunControl } from './control.ts';
import { FACTS_SNIPPET, factVariables, parseFacts, playUsesFacts } from './facts.ts';
import { hostChannel, ScriptLost, type HostChannel } from './host-channel.ts';
import { hostLookups, type MagicFor } from './host-lookup.ts';
import { newHostVarsState, newOverlay, type HostVarsState } from './host-state.ts';
import { magicVars, type RunMagic } from './magic-vars.ts';
import { conditionsFail, probeKey, type WrapFor } from './instances.ts';
import { isChange, type HostResult, type TaskResult } from './results.ts';
import { runTaskList, skipped, type Ending, type ListContext } from './task-list.ts';
import { wrapperFor, wrapScripts } from './task-user.ts';
import { readable, walker } from './walk.ts';

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
  // What include_vars, set_fact and register set stays for the run: across plays, and across serial waves (the run's).
  const state = options.magic?.setVars.get(host.name) ?? newHostVarsState();
  options.magic?.setVars.set(host.name, state);
  // Read once per host, by the first play that uses them.
  const factsBox: { facts?: Record<string, unknown> } = {};
  for (const [p, play] of plays.entries()) {
    const ending = await runPlay(host, play, channel, options, events, tasks, factsBox, state);
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
  /** The host's facts once read, kept from play to play. */
  factsBox: { facts?: Record<string, unknown> },
  state: HostVarsState,
): Promise<Ending> {
  const defaultTimeoutS = options.taskTimeoutS ?? 0;
  const scriptUser = options.scriptUser ?? host.user;
  const wrapFor: WrapFor = (spec, lk) => wrapperFor(spec, play.become, host.user, scriptUser, lk);
  const run = options.magic;
  const magic: MagicFor = run ? (scope) => magicVars(run, play, host, options.batchOf?.(play) ?? [host.name], scope) : () => ({});
  const selectTasks = options.selectTasks;

  // Facts come back with the first probes: every task that can be read without them is
  // read speculatively in the same script (a task whose condition needs facts too — its
  // probe only reads), so a converged host still costs one round trip.
  let preProbed: Map<string, Probed> | undefined;
  if (factsBox.facts === undefined && playUsesFacts(play)) {
    const overlay = newOverlay();
    const pending = hostLookups(play, host, options.extraVars, undefined, false, magic, state, overlay);
    const placeholders = hostLookups(play, host, options.extraVars, undefined, true, magic, state, overlay);
    const previewWalk = walker({ lookupFor: pending, paramsFor: placeholders, overlay, wrapFor, ...(selectTasks ? { selectTasks } : {}) });
    const preview = previewWalk.prepareSpecs(play.tasks, false).filter(readable);
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
  const overlay = newOverlay();
  const lookupFor = hostLookups(play, host, options.extraVars, factsBox.facts, false, magic, state, overlay);
  const walk = walker({ lookupFor, overlay, wrapFor, ...(selectTasks ? { selectTasks } : {}) });

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
    state,
    lookupFor,
    walk,
    flush: () => {
      const handlers = play.handlers.filter((h) => h.listen.some((name) => ctx.notified.has(name)));
      ctx.notified.clear();
      return runTaskList(walk.prepareSpecs(handlers, true), ctx);
    },
  };
  // The play's sections (pre_tasks; roles and tasks; post_tasks), each followed by the
  // handlers notified so far, as Ansible flushes them.
  const cuts = [0, ...(play.flushAfter ?? []), play.tasks.length];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const section = play.tasks.slice(cuts[k], cuts[k + 1]);
    let ending = await runTaskList(walk.prepareSpecs(section, false), ctx);
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
