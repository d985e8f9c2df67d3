// Preparing a host's tasks ahead of running them, in order, so that one round trip reads
// the state of them all. A task is prepared with what the tasks before it set: the
// controller-side ones are read as the walk passes them (set_fact's values, include_vars's
// file: Prepared.sets, applied for real when the run reaches them); a task that reads a
// name an earlier task registers waits (Prepared.waits) and is prepared again when the run
// reaches it (`rewalk`), with that task's result there. Includes are read ahead too,
// their tasks walked in place. The overlay (host-state.ts) holds what the walk expects:
// it lives only while a walk runs, so lookups at run time see only what has run.
import { INCLUDE_VARS_MODULE, readVarsFile } from '../playbook/include-vars.ts';
import { isControllerAction } from '../playbook/controller-actions.ts';
import type { TaskSpec } from '../playbook/plays.ts';
import { mergeVars } from '../vars.ts';
import type { LookupFor } from './host-lookup.ts';
import { ResultWaiting, type Overlay, type TaskRef } from './host-state.ts';
import { prepare, type Prepared, type WrapFor } from './instances.ts';

/** A task to prepare, or one prepared already (kept unless it waits). */
export type WalkItem = { spec: TaskSpec; handler: boolean } | Prepared;

export interface Walker {
  /** These tasks, prepared in order, with their includes' tasks after them. */
  prepareSpecs(specs: readonly TaskSpec[], handler: boolean): Prepared[];
  /** The rest of a running list: what waits is prepared again, the rest kept. */
  rewalk(items: readonly WalkItem[]): Prepared[];
  /** An include's tasks on this host (its file's, given its vars and loop item), to prepare. */
  included(include: Prepared): WalkItem[];
}

export interface WalkerOptions {
  lookupFor: LookupFor & { invalidate(): void };
  /** Renders parameters when given (the facts preview's placeholders); lookupFor decides conditions. */
  paramsFor?: LookupFor & { invalidate(): void };
  overlay: Overlay;
  wrapFor: WrapFor;
  /** Which of an include's tasks run (--tags, --skip-tags). */
  selectTasks?: (specs: readonly TaskSpec[]) => TaskSpec[];
}

const isPrepared = (item: WalkItem): item is Prepared => 'name' in item;

export const readable = (t: Prepared): boolean => t.error === undefined && t.skipReason === undefined && t.waits === undefined && t.unknown === undefined;

export function walker(options: WalkerOptions): Walker {
  const { overlay } = options;
  const invalidate = () => {
    options.lookupFor.invalidate();
    options.paramsFor?.invalidate();
  };
  const reset = () => {
    overlay.included = Object.create(null);
    overlay.facts = Object.create(null);
    overlay.waiting.clear();
    delete overlay.barrier;
    invalidate();
  };

  const included = (include: Prepared): WalkItem[] => {
    const file = (include.params as { file: string }).file;
    const read = include.spec.include!.tasks ?? include.spec.include!.read(file);
    const given = { ...include.spec.vars, ...(include.spec.loop && 'itemValue' in include ? { [include.spec.loop.loopVar]: include.itemValue } : {}) };
    const specs = Object.keys(given).length > 0 ? read.map((spec) => ({ ...spec, vars: { ...spec.vars, ...given } })) : read;
    return (options.selectTasks?.(specs) ?? specs).map((spec) => ({ spec, handler: include.handler }));
  };

  /** What a task will set, as the tasks after it are prepared: its values, or that they wait for it. */
  const account = (t: Prepared): Prepared => {
    const ref: TaskRef = { number: t.spec.number, name: t.name };
    const module = t.spec.module;
    if (t.waits !== undefined || t.unknown !== undefined) {
      if (t.spec.register) overlay.waiting.set(t.spec.register, ref);
      if (isControllerAction(module)) for (const name of module.sets?.(t.spec.params) ?? []) overlay.waiting.set(name, ref);
      // What its file (or an include's tasks) sets cannot be told until it runs.
      if (module === INCLUDE_VARS_MODULE || t.spec.include) overlay.barrier ??= ref;
      invalidate();
      return t;
    }
    let out = t;
    if (readable(t) && module === INCLUDE_VARS_MODULE) {
      const { file, name } = t.params as { file: string; name?: string };
      try {
        const vars = readVarsFile(file, t.spec.varsDirs ?? [], name);
        mergeVars(overlay.included, vars);
        out = { ...t, sets: { included: vars } };
      } catch (e) {
        out = { ...t, error: e instanceof Error ? e.message : String(e) };
      }
    } else if (readable(t) && isControllerAction(module) && module.sets) {
      try {
        const facts = module.act(t.params, () => undefined).facts ?? {};
        mergeVars(overlay.facts, facts);
        for (const name of Object.keys(facts)) overlay.waiting.delete(name);
        out = { ...t, sets: { facts } };
      } catch (e) {
        out = { ...t, error: e instanceof Error ? e.message : String(e) };
      }
    }
    // Registered whatever happens to it (skipped, failed): the tasks after it wait for it.
    if (t.spec.register) overlay.waiting.set(t.spec.register, ref);
    invalidate();
    return out;
  };

  const prepareOne = (spec: TaskSpec, handler: boolean): Prepared[] => {
    if (overlay.barrier) return [{ spec, name: spec.name, handler, waits: new ResultWaiting('(what it sets)', overlay.barrier) }];
    const lookup = options.lookupFor(spec);
    return prepare(spec, lookup, handler, options.wrapFor, options.paramsFor ? options.paramsFor(spec) : lookup);
  };

  const walkInto = (items: readonly WalkItem[], out: Prepared[]): void => {
    for (const item of items) {
      const kept = isPrepared(item) && item.waits === undefined;
      const instances = kept ? [item] : prepareOne(item.spec, item.handler);
      for (const first of instances) {
        const t = account(first);
        if (!t.spec.include || kept || !readable(t) || t.params === undefined) {
          out.push(t);
          continue;
        }
        // Read ahead: its tasks follow it (expanded), unless its file cannot be read now;
        // then the run reads it when it gets there, or fails it with the reason.
        let inner: WalkItem[];
        try {
          inner = included(t);
        } catch {
          out.push(t);
          continue;
        }
        out.push({ ...t, expanded: true });
        walkInto(inner, out);
      }
    }
  };

  const walk = (items: readonly WalkItem[]): Prepared[] => {
    reset();
    const out: Prepared[] = [];
    try {
      walkInto(items, out);
    } finally {
      // What the walk expected is no one's once it is done: the run reads what ran.
      reset();
    }
    return out;
  };

  return {
    prepareSpecs: (specs, handler) => walk(specs.map((spec) => ({ spec, handler }))),
    rewalk: walk,
    included,
  };
}
