// A task as one host runs it: its instances (one, or one per loop item), each with its
// conditions decided, its parameters rendered, what it may show (secret values masked,
// no_log), and the wrapper its scripts run in (environment, another user). Whatever
// cannot be read for this host becomes the instance's error, reported when it runs.
import { paramsForHost } from '../playbook/load.ts';
import { lookupSearchPath, withLoopItems } from '../playbook/loops.ts';
import type { Condition, TaskSpec } from '../playbook/plays.ts';
import { conditionHolds, render, renderText, toText, type Lookup } from '../playbook/template.ts';
import { FactsPending } from './host-lookup.ts';
import { ResultUnknown, ResultWaiting, type TaskRef } from './host-state.ts';
import { Masker, NO_LOG_LABEL, SECRET_MASK, secretValuesOf } from './secrets.ts';
import { wrapScripts, type TaskWrapper } from './task-user.ts';

export interface Prepared {
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
  /** The loop item itself (an include gives it to the tasks it includes). */
  itemValue?: unknown;
  /** An include whose tasks already follow it in the list (host-run.ts read them ahead). */
  expanded?: boolean;
  /** `ignore_errors:` as decided for this instance (a template is rendered per host and item). */
  ignoreErrors?: boolean;
  /** Masks the values of this instance's secret parameters in whatever its result shows. */
  mask?: Masker;
  /** `no_log:` held for this instance: its result shows no output. */
  noLog?: boolean;
  /** Wraps the task's probe snippets and commands: its environment, and another user. */
  wrap?: TaskWrapper;
  /** It reads what a task before it sets when it runs: prepared again when the run reaches it (walk.ts). */
  waits?: ResultWaiting;
  /** Check mode: it reads what a task that would run did not give; it waits for that task (`pending`). */
  unknown?: { variable: string; after: TaskRef };
  /** What it sets on the host when it runs, as the walk that prepared it read it (set_fact's values, include_vars's file). */
  sets?: { included?: Record<string, unknown>; facts?: Record<string, unknown> };
  /** Its place in its task's loop (0-based) and the loop's length: a loop's results are registered together. */
  loopAt?: { index: number; size: number };
}

/** The wrapper of a task's scripts on this host (task-user.ts), given its lookup. */
export type WrapFor = (spec: TaskSpec, lookup: Lookup) => TaskWrapper | undefined;

/**
 * A task as this host runs it: one instance, or one per loop item. `paramsLookup`, when
 * given, renders the parameters (and loop items) while `lookup` decides the conditions.
 */
export function prepare(spec: TaskSpec, lookup: Lookup, handler: boolean, wrapFor: WrapFor, paramsLookup = lookup): Prepared[] {
  let instances: Prepared[];
  try {
    instances = prepareInstances(spec, lookup, handler, paramsLookup);
  } catch (e) {
    // What it reads is not there yet: the whole task (all its items) waits, or is pending.
    if (e instanceof ResultWaiting) return [{ spec, name: spec.name, handler, waits: e }];
    if (e instanceof ResultUnknown) return [{ spec, name: spec.name, handler, unknown: { variable: e.variable, after: e.after } }];
    throw e;
  }
  return instances.map((t) => {
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
    items = spec.loop.with !== undefined ? withLoopItems(spec.loop.with, spec.loop.items, paramsLookup, lookupSearchPath(spec)) : render(spec.loop.items, paramsLookup);
  } catch (e) {
    if (notYet(e)) throw e;
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
  }).map((t, index) => ({ ...t, loopAt: { index, size: items.length } }));
  // Reports tell instances apart by label: labels that came out the same (masked, hidden
  // by no_log, or equal items) get their place in the loop.
  const count = new Map<string | undefined, number>();
  for (const t of instances) count.set(t.item, (count.get(t.item) ?? 0) + 1);
  return instances.map((t, k) => ((count.get(t.item) ?? 0) > 1 ? { ...t, item: `${t.item} #${k + 1}` } : t));
}

/** A value not there yet (a registered result): the task is prepared again later, or pending. */
const notYet = (e: unknown) => e instanceof ResultWaiting || e instanceof ResultUnknown;

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
    noLog = typeof spec.noLog === 'string' ? conditionHolds(spec.noLog, paramsLookup) : spec.noLog === true;
  } catch (e) {
    if (notYet(e)) throw e;
    error ??= `no_log: ${e instanceof Error ? e.message : String(e)}`;
    unknown = true;
  }
  let ignoreErrors = spec.ignoreErrors === true;
  if (typeof spec.ignoreErrors === 'string') {
    try {
      ignoreErrors = conditionHolds(spec.ignoreErrors, paramsLookup);
    } catch (e) {
      if (notYet(e)) throw e;
      error ??= `ignore_errors: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  let secrets: string[] | undefined = [];
  if (declaresSecrets(spec)) {
    let params = t.params;
    if (params === undefined) {
      try {
        params = render(spec.params, paramsLookup);
      } catch (e) {
        if (notYet(e)) throw e;
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
        item = renderText(spec.loop.label, loop.itemLookup);
      } catch (e) {
        if (notYet(e)) throw e;
        // As in Ansible: the instance fails, and shows the item as it is (masked).
        error ??= `loop_control.label: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
  }
  return {
    ...t,
    name: mask.text(name),
    ...(item !== undefined ? { item: mask.text(item) } : {}),
    ...(loop ? { itemValue: loop.item } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(mask.masks ? { mask } : {}),
    ...(noLog ? { noLog } : {}),
    ignoreErrors,
  };
}

function renderedName(spec: TaskSpec, lookup: Lookup): string {
  try {
    return renderText(spec.name, lookup);
  } catch (e) {
    if (notYet(e)) throw e;
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
    if (notYet(e)) throw e;
    return { spec, name, handler, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The first `when:` condition that is false (why to skip), or one that cannot be read (an error). */
export function conditionsFail(conditions: readonly Condition[], lookup: Lookup): { reason?: string; error?: string } | undefined {
  for (const c of conditions) {
    try {
      if (!conditionHolds(c.expr, lookup)) return { reason: `condition false: ${c.expr.trim()}` };
    } catch (e) {
      if (e instanceof FactsPending || notYet(e)) throw e;
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

/** The probe script a prepared task sends, as text: speculative probes are matched by it. */
export function probeKey(t: Prepared): string {
  const probe = wrapScripts(t.wrap, t.spec.module.probe(t.params));
  return (probe instanceof Array ? probe : [probe]).map((s) => s.text).join('\0');
}
