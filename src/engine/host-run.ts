// One host, start to end: its plays in order, each task probe → plan → apply, then the
// notified handlers. A failed task stops this host only. Whatever ends the host early (a
// failed task, a lost connection, a timeout, an interrupt), every result gathered
// before it is kept: reports show what changed and where it stopped.
import type { Host } from '../inventory/index.ts';
import { evaluate, toText, truthy, UNDEFINED } from '../playbook/expression.ts';
import { FACT_NAMES, FACTS_SNIPPET, factVariables, parseFacts, playUsesFacts } from './facts.ts';
import { paramsForHost } from '../playbook/load.ts';
import type { Condition, Play, TaskSpec } from '../playbook/plays.ts';
import { render, renderString, variableLookup, type Lookup } from '../playbook/template.ts';
import { ShellText } from '../shell.ts';
import { TIMED_OUT, UnreachableError, type Transport } from '../transport/types.ts';
import { applyScript, probeBatch, type ProbeScript } from './batch.ts';
import type { RunControl } from './control.ts';
import { isChange, type HostResult, type HostStatus, type TaskResult } from './results.ts';
import { ProbeFailed, probedFrom, type Plan, type Probed } from '../module.ts';
import { wrapperFor, type TaskWrapper } from './task-user.ts';
import { Masker, NO_LOG_LABEL, SECRET_MASK, secretValuesOf, shieldResult } from './secrets.ts';

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
  /** Set when the parameters (or a condition) could not be read for this host. */
  error?: string;
  /** Set when a `when:` condition is false for this host (or item): why it is skipped. */
  skipReason?: string;
  /** The loop item this instance is for, as shown (loop_control.label): secrets masked. */
  item?: string;
  /** Masks the values of this instance's secret parameters in whatever its result shows. */
  mask?: Masker;
  /** `no_log:` held for this instance: its result shows no output. */
  noLog?: boolean;
  /** Wraps the task's probe snippets and commands: its environment, and another user. */
  wrap?: TaskWrapper;
}

/** How a list of tasks ended: all done, or why it stopped. */
type Ending = { kind: 'done' } | { kind: Exclude<HostStatus, 'ok' | 'changed'>; error?: string };

/** A script that did not come back: the host is unreachable, or the run was interrupted. */
class ScriptLost extends Error {
  constructor(
    message: string,
    readonly status: 'unreachable' | 'interrupted',
  ) {
    super(message);
  }
}

/** Thrown by a lookup asked for a fact before the host's facts are read. */
class FactsPending extends Error {}

export async function runPlays(
  host: Host,
  plays: readonly Play[],
  transport: Transport,
  options: HostRunOptions,
  events: HostEvents,
): Promise<Pick<HostResult, 'status' | 'tasks' | 'error'>> {
  const tasks: TaskResult[] = [];
  // Read once per host, by the first play that uses them.
  const factsBox: { facts?: Record<string, unknown> } = {};
  for (const [p, play] of plays.entries()) {
    const ending = await runPlay(host, play, transport, options, events, tasks, factsBox);
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
  transport: Transport,
  options: HostRunOptions,
  events: HostEvents,
  results: TaskResult[],
  factsBox: { facts?: Record<string, unknown> },
): Promise<Ending> {
  const notified = new Set<string>();
  let firstPending: { number: number; name: string } | undefined;
  const defaultTimeout = options.taskTimeoutS ?? 0;

  /** One script on the host; a lost connection or an interrupt becomes ScriptLost. */
  const send = async (script: ShellText, timeoutS: number, input?: string) => {
    try {
      return await transport.run(script, { timeoutS, ...(input !== undefined ? { input } : {}) });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (options.control?.aborted) throw new ScriptLost(`interrupted while a script ran (${message})`, 'interrupted');
      if (e instanceof UnreachableError) throw new ScriptLost(message, 'unreachable');
      throw e;
    }
  };

  /**
   * One probe script on the host, its sections read back (host CPU counted with
   * --stats). With `apply`, the first script is a task's commands: its time limit cut
   * short is reported, not thrown; for probes alone it is an error.
   */
  const probeRound = async (scripts: ProbeScript[], timeoutS: number, apply: boolean): Promise<Probed[] | 'timed out'> => {
    const batch = probeBatch(scripts, undefined, options.measure === true);
    const out = await send(batch.script, timeoutS);
    if (out.code === TIMED_OUT && !apply) throw new Error(`reading the host's state took longer than ${timeoutS} s; the probes were stopped`);
    if (out.code === TIMED_OUT && out.stdout.length === 0) return 'timed out';
    if (out.code !== 0 && out.stdout.length === 0) {
      throw new Error(`probe script failed (exit ${out.code}): ${out.stderr.toString().trim()}`);
    }
    let parsed: Probed[];
    try {
      parsed = batch.parse(out.stdout);
    } catch (e) {
      // The task's commands were stopped by the time limit: whatever they printed is cut short.
      if (out.code === TIMED_OUT) return 'timed out';
      throw e;
    }
    if (options.measure) transport.stats.remoteCpuMs = (transport.stats.remoteCpuMs ?? 0) + parsed.reduce((sum, p) => sum + (p.cpuMs ?? 0), 0);
    return parsed;
  };

  // Play vars are defaults; the inventory overrides them; -e overrides everything. Facts
  // sit below them all; a role's tasks see its variables (defaults under the play's, vars
  // over them, parameters over the inventory).
  // Before the facts are read, a fact in a condition is pending (FactsPending), and in
  // parameters (`placeholder`) any value: a probe built from such parameters is used only
  // if, with the real facts, the task's probe is the very same script.
  const lookups = (facts: Record<string, unknown> | undefined, placeholder = false) => {
    const below: Lookup = (name) => {
      if (!FACT_NAMES.has(name)) return UNDEFINED;
      if (facts === undefined) {
        if (placeholder) return ANY_FACT;
        throw new FactsPending(name);
      }
      return Object.hasOwn(facts, name) ? facts[name] : UNDEFINED;
    };
    const base = variableLookup([play.vars, host.vars, options.extraVars], below);
    const scoped = new Map<NonNullable<TaskSpec['scope']>, Lookup>();
    return (spec?: TaskSpec): Lookup => {
      if (!spec?.scope) return base;
      let found = scoped.get(spec.scope);
      if (!found) {
        found = variableLookup([spec.scope.defaults, play.vars, spec.scope.vars, host.vars, spec.scope.params, options.extraVars], below);
        scoped.set(spec.scope, found);
      }
      return found;
    };
  };

  // Facts come back with the first probes: every task that can be read without them is
  // read speculatively in the same script (a task whose condition needs facts too — its
  // probe only reads), so a converged host still costs one round trip.
  const scriptUser = options.scriptUser ?? host.user;
  const wrapFor: WrapFor = (spec, lk) => wrapperFor(spec, play.become, host.user, scriptUser, lk);
  let preProbed: Map<string, Probed> | undefined;
  if (factsBox.facts === undefined && playUsesFacts(play)) {
    const pending = lookups(undefined);
    const placeholders = lookups(undefined, true);
    const preview = play.tasks
      .flatMap((spec) => prepare(spec, pending(spec), false, wrapFor, placeholders(spec)))
      .filter((t) => t.error === undefined && t.skipReason === undefined);
    let read: Probed[];
    try {
      read = (await probeRound([FACTS_SNIPPET, ...preview.map((t) => wrapped(t, t.spec.module.probe(t.params)))], defaultTimeout, false)) as Probed[];
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
    preProbed = new Map(preview.map((t, k) => [probeKey(t), probed[k]!]));
  }
  const lookupFor = lookups(factsBox.facts);
  const lookup = lookupFor();

  const runList = async (list: Prepared[]): Promise<Ending> => {
    let probes: Probed[] = [];
    let windowStart = 0;
    // Probes read with the facts serve the tasks they were read for, while they are in order.
    if (preProbed) {
      for (const t of list) {
        if (t.error !== undefined || t.skipReason !== undefined) {
          probes.push(probedFrom([], -1));
          continue;
        }
        const found = preProbed.get(probeKey(t));
        if (!found) break;
        probes.push(found);
      }
      preProbed = undefined;
    }

    /**
     * Reads the state of every task from `i` on, in one round trip. With `apply`, the
     * previous task's commands run first in the same script: a changed task costs one
     * round trip, its re-probe included. Returns how `apply` went.
     */
    const readFrom = async (i: number, apply?: ShellText, timeoutS = defaultTimeout): Promise<Probed | undefined> => {
      const window = list.slice(i).map((t) => (t.error === undefined && t.skipReason === undefined ? wrapped(t, t.spec.module.probe(t.params)) : null));
      const scripts: ProbeScript[] = [...(apply ? [apply] : []), ...window.filter((s) => s !== null)];
      const parsed = await probeRound(scripts, timeoutS, apply !== undefined);
      if (parsed === 'timed out') return probedFrom([], TIMED_OUT, `timed out after ${timeoutS} s`);
      const applied = apply ? parsed.shift() : undefined;
      let k = 0;
      probes = window.map((s) => (s === null ? probedFrom([], -1) : parsed[k++]!));
      windowStart = i;
      return applied;
    };

    for (let i = 0; i < list.length; i++) {
      const task = list[i]!;
      const base = {
        play: play.name,
        number: task.spec.number,
        name: task.name,
        module: task.spec.module.name,
        handler: task.handler,
        ...(task.item !== undefined ? { item: task.item } : {}),
      };
      const skipFrom = (from: number) => {
        for (const rest of list.slice(from)) results.push(skipped(play, rest.spec, rest.name, rest.handler));
      };
      if (options.control?.stopping) {
        skipFrom(i);
        return { kind: 'interrupted', error: 'interrupted: no task started after the interrupt' };
      }
      if (task.skipReason !== undefined) {
        const result = shielded(task, { ...base, status: 'skipped', changes: [], durationMs: 0, reason: task.skipReason });
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
        if (task.spec.ignoreErrors) {
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
      const timeoutS = task.spec.timeoutS ?? defaultTimeout;
      let plan: Plan | undefined;
      try {
        if (i >= windowStart + probes.length || i < windowStart) await readFrom(i);
        remoteCpuMs = probes[i - windowStart]!.cpuMs;
        plan = task.spec.module.plan(task.params, probes[i - windowStart]!);
      } catch (e) {
        if (e instanceof ScriptLost) {
          finish({ status: 'failed', changes: [], error: e.message });
          skipFrom(i + 1);
          return { kind: e.status, error: e.message };
        }
        if (e instanceof ProbeFailed && options.check && firstPending) {
          finish({ status: 'pending', changes: [], after: firstPending, error: e.message });
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
      // applying runs it without reporting a change.
      const quiet = task.spec.neverChanged;
      if (options.check) {
        if (quiet) {
          finish({ status: 'ok', changes: [] });
          continue;
        }
        for (const n of task.spec.notify) notified.add(n);
        firstPending ??= { number: task.spec.number, name: task.name };
        finish({ status: 'would-change', changes: plan.changes });
        continue;
      }
      // What this task changes may change what later tasks see: they are read again,
      // after the commands, in the same round trip.
      let applied: Probed;
      try {
        if (plan.upload) {
          // The file travels first, streamed in a round trip of its own; then the rest.
          const up = await send(wrapped(task, plan.upload.script, true) as ShellText, timeoutS, plan.upload.file);
          if (up.code !== 0) {
            applied = probedFrom([], up.code, up.code === TIMED_OUT ? `timed out after ${timeoutS} s` : up.stderr.toString());
          } else if (plan.commands.length > 0) {
            applied = (await readFrom(i + 1, wrapped(task, applyScript(plan.commands)) as ShellText, timeoutS))!;
          } else {
            if (i + 1 < list.length) await readFrom(i + 1);
            applied = probedFrom([], 0);
          }
        } else {
          applied = (await readFrom(i + 1, wrapped(task, applyScript(plan.commands)) as ShellText, timeoutS))!;
        }
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
        const secret = plan.changes.some((c) => c.secret);
        const output = `${applied.stderr.trim()}\n${applied.stdout.trim()}`.trim();
        const why =
          applied.code === TIMED_OUT
            ? `timed out after ${timeoutS} s (raise it with timeout: on the task, or --task-timeout)`
            : `exit ${applied.code}: ${secret ? '(output hidden: the task has secret values)' : lastLines(output, 15)}`;
        const ending = failAndSkipRest({ status: 'failed', changes: quiet ? [] : plan.changes, error: why });
        if (ending) return ending;
        continue;
      }
      if (quiet) {
        finish({ status: 'ok', changes: [] });
        continue;
      }
      // Handlers are notified by what changed, not by what was tried.
      for (const n of task.spec.notify) notified.add(n);
      finish({ status: 'changed', changes: plan.changes });
    }
    return { kind: 'done' };
  };

  const playSkip = conditionsFail(play.when, lookup);
  if (playSkip !== undefined) {
    // The play's own condition is false (or unreadable) here: every task says so.
    for (const spec of play.tasks) {
      const result = { ...skipped(play, spec, spec.name, false), ...(playSkip.error ? { status: 'failed' as const, error: playSkip.error } : { reason: playSkip.reason }) };
      results.push(result);
      events.taskDone(result);
    }
    return playSkip.error ? { kind: 'failed' } : { kind: 'done' };
  }
  const tasks = play.tasks.flatMap((spec) => prepare(spec, lookupFor(spec), false, wrapFor));
  const ending = await runList(tasks);
  if (ending.kind !== 'done') return ending;
  const handlers = play.handlers.filter((h) => h.listen.some((name) => notified.has(name)));
  return runList(handlers.flatMap((spec) => prepare(spec, lookupFor(spec), true, wrapFor)));
}

/** The result as it may be shown: secret values masked, and nothing of its output with no_log. */
function shielded(task: Prepared, result: TaskResult): TaskResult {
  return task.mask || task.noLog ? shieldResult(result, task.mask ?? new Masker([]), task.noLog === true) : result;
}

function skipped(play: Play, spec: TaskSpec, name: string, handler: boolean): TaskResult {
  return { play: play.name, number: spec.number, name, module: spec.module.name, handler, status: 'skipped', changes: [], durationMs: 0 };
}

/** Stands for any fact before the facts are read: every member of it is itself. */
const ANY_FACT: unknown = new Proxy(
  {},
  {
    get: (_t, key) => (key === 'toJSON' ? () => '(fact)' : ANY_FACT),
    getOwnPropertyDescriptor: () => ({ value: ANY_FACT, configurable: true, enumerable: true, writable: false }),
    ownKeys: () => [],
  },
);

/** The probe script a prepared task sends, as text: speculative probes are matched by it. */
function probeKey(t: Prepared): string {
  const probe = wrapped(t, t.spec.module.probe(t.params));
  return (probe instanceof Array ? probe : [probe]).map((s) => s.text).join('\0');
}

/** A task's probe (or commands) with its environment, as the user it runs as. */
function wrapped(t: Prepared, probe: ShellText | readonly ShellText[], stdinIsData = false): ShellText | readonly ShellText[] {
  if (!t.wrap) return probe;
  return probe instanceof ShellText ? new ShellText(t.wrap(probe.text, stdinIsData)) : probe.map((s) => new ShellText(t.wrap!(s.text, stdinIsData)));
}

/**
 * A task as this host runs it: one instance, or one per loop item. `paramsLookup`, when
 * given, renders the parameters (and loop items) while `lookup` decides the conditions.
 */
type WrapFor = (spec: TaskSpec, lookup: Lookup) => TaskWrapper | undefined;

function prepare(spec: TaskSpec, lookup: Lookup, handler: boolean, wrapFor: WrapFor, paramsLookup = lookup): Prepared[] {
  return prepareInstances(spec, lookup, handler, paramsLookup).map((t) => {
    if (t.error !== undefined || t.skipReason !== undefined) return t;
    try {
      const wrap = wrapFor(spec, paramsLookup);
      return wrap ? { ...t, wrap } : t;
    } catch (e) {
      return { ...t, error: `environment: ${e instanceof Error ? e.message : String(e)}` };
    }
  });
}

function prepareInstances(spec: TaskSpec, lookup: Lookup, handler: boolean, paramsLookup = lookup): Prepared[] {
  if (spec.loop === undefined) return [shield(spec, prepareOne(spec, lookup, handler, paramsLookup), paramsLookup)];
  let items: unknown;
  try {
    items = render(spec.loop.items, paramsLookup);
  } catch (e) {
    return [{ spec, name: spec.name, handler, error: `loop: ${e instanceof Error ? e.message : String(e)}` }];
  }
  if (!Array.isArray(items)) {
    // What it gave may be a secret: shown only when the task has none and no no_log.
    const quiet = declaresSecrets(spec) || spec.noLog !== undefined;
    return [{ spec, name: spec.name, handler, error: `loop: gave ${quiet ? 'something' : toText(items).slice(0, 60) || 'nothing'}, not a list` }];
  }
  const { loopVar } = spec.loop;
  const instances = items.map((item) => {
    // The item is the innermost variable: it hides a play or inventory variable of its name.
    const itemLookup: Lookup = (name) => (name === loopVar ? item : lookup(name));
    const itemParams: Lookup = (name) => (name === loopVar ? item : paramsLookup(name));
    return shield(spec, prepareOne(spec, itemLookup, handler, itemParams), itemParams, { item, itemLookup, outer: lookup });
  });
  // Reports tell instances apart by label: labels that came out the same (masked, hidden
  // by no_log, or equal items) get their place in the loop.
  const count = new Map<string | undefined, number>();
  for (const t of instances) count.set(t.item, (count.get(t.item) ?? 0) + 1);
  return instances.map((t, k) => ((count.get(t.item) ?? 0) > 1 ? { ...t, item: `${t.item} #${k + 1}` } : t));
}

function declaresSecrets(spec: TaskSpec): boolean {
  return (spec.module.secrets?.length ?? 0) > 0 || spec.module.secretValues !== undefined;
}

/**
 * What an instance may show (src/engine/secrets.ts): its name and loop label with the
 * values of its secret parameters masked, or hidden by no_log (the label, and the item in
 * the name). When the secret values cannot be told (parameters that do not render, a
 * no_log that cannot be read), the label is masked whole and the name shown as written.
 */
function shield(spec: TaskSpec, t: Prepared, paramsLookup: Lookup, loop?: { item: unknown; itemLookup: Lookup; outer: Lookup }): Prepared {
  let error = t.error;
  let noLog = false;
  let unknown = false;
  try {
    noLog = typeof spec.noLog === 'string' ? truthy(renderString(spec.noLog, paramsLookup)) : spec.noLog === true;
  } catch (e) {
    error ??= `no_log: ${e instanceof Error ? e.message : String(e)}`;
    unknown = true;
  }
  let secrets: string[] | undefined = [];
  if (declaresSecrets(spec)) {
    let params = t.params;
    if (params === undefined) {
      try {
        params = render(spec.params, paramsLookup);
      } catch {
        // Not renderable for this host or item: which values are secret cannot be told.
      }
    }
    secrets = secretValuesOf(spec.module, params);
  }
  unknown ||= secrets === undefined;
  const mask = new Masker(secrets ?? [], loop?.item);
  let name = t.name;
  if (unknown) name = spec.name;
  else if (noLog && loop) name = renderedName(spec, loop.outer);
  let item: string | undefined;
  if (loop && unknown) item = SECRET_MASK;
  else if (loop && noLog) item = NO_LOG_LABEL;
  else if (loop) {
    item = itemLabel(mask.value(loop.item));
    if (spec.loop?.label !== undefined) {
      try {
        item = toText(renderString(spec.loop.label, loop.itemLookup));
      } catch (e) {
        // As in Ansible: the instance fails, and shows the item as it is (masked).
        error ??= `loop_control.label: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
  }
  return {
    ...t,
    name: mask.text(name),
    ...(item !== undefined ? { item: mask.text(item) } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(mask.masks ? { mask } : {}),
    ...(noLog ? { noLog } : {}),
  };
}

function renderedName(spec: TaskSpec, lookup: Lookup): string {
  try {
    return String(renderString(spec.name, lookup));
  } catch {
    return spec.name;
  }
}

function prepareOne(spec: TaskSpec, lookup: Lookup, handler: boolean, paramsLookup = lookup): Prepared {
  // A name that cannot be rendered is shown as written.
  const name = renderedName(spec, lookup);
  let skip: ReturnType<typeof conditionsFail>;
  try {
    skip = conditionsFail(spec.when, lookup);
  } catch (e) {
    // Facts not read yet: the parameters may still be, for a speculative probe.
    if (!(e instanceof FactsPending)) throw e;
  }
  if (skip?.error !== undefined) return { spec, name, handler, error: skip.error };
  if (skip !== undefined) return { spec, name, handler, skipReason: skip.reason };
  try {
    return { spec, name, handler, params: paramsForHost(spec, paramsLookup) };
  } catch (e) {
    return { spec, name, handler, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The first `when:` condition that is false (why to skip), or one that cannot be read (an error). */
function conditionsFail(conditions: readonly Condition[], lookup: Lookup): { reason?: string; error?: string } | undefined {
  for (const c of conditions) {
    try {
      if (!truthy(evaluate(c.expr, lookup))) return { reason: `condition false: ${c.expr.trim()}` };
    } catch (e) {
      if (e instanceof FactsPending) throw e;
      return { error: `when: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return undefined;
}

/** A loop item as people read it: scalars as they are, maps and lists compact. */
function itemLabel(item: unknown): string {
  const text = typeof item === 'object' && item !== null ? JSON.stringify(item) : toText(item);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function lastLines(text: string, n: number): string {
  const all = text.split('\n');
  return all.length <= n ? text : ['…', ...all.slice(-n)].join('\n');
}
