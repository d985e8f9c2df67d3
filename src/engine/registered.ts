// A task's result as `register` keeps it, in Ansible's shape (the common keys, then the
// module's own), and the keywords that read it once the task ran: changed_when,
// failed_when and until, which see the task's own result by its registered name. A loop
// registers its items' results together (`results`, each with `item` and
// `ansible_loop_var`), as Ansible does.
import type { TaskSpec } from '../playbook/plays.ts';
import { conditionHolds, type Lookup } from '../playbook/template.ts';
import { ResultUnknown, type TaskRef } from './host-state.ts';
import type { Prepared } from './instances.ts';

export type Registered = Record<string, unknown>;

/** A skipped task's result (a false condition, or check mode for a module that cannot tell). */
export function skippedValue(reason: string, conditional: boolean): Registered {
  return { changed: false, skipped: true, skip_reason: conditional ? 'Conditional result was False' : reason };
}

/** An item's result within its loop: the item and its variable's name added. */
export function itemValue(task: Prepared, value: Registered): Registered {
  if (!task.loopAt || !task.spec.loop) return value;
  return { ...value, [task.spec.loop.loopVar]: task.itemValue, ansible_loop_var: task.spec.loop.loopVar };
}

/** A loop's result, from its items'. */
export function loopValue(items: readonly Registered[]): Registered {
  const all = [...items];
  if (all.length > 0 && all.every((r) => r.skipped === true)) return { results: all, changed: false, msg: 'All items skipped', skipped: true };
  const out: Registered = { results: all, changed: all.some((r) => r.changed === true), msg: 'All items completed', skipped: false };
  if (all.some((r) => r.failed === true)) Object.assign(out, { failed: true, msg: 'One or more items failed' });
  return out;
}

/** The variables the keywords after a task read: its own result under its registered name, its loop item. */
export function afterLookup(task: Prepared, lookup: Lookup, result: Registered | 'unknown'): Lookup {
  const { register } = task.spec;
  const loopVar = task.loopAt && task.spec.loop ? task.spec.loop.loopVar : undefined;
  const self: TaskRef = { number: task.spec.number, name: task.name };
  return (name) => {
    if (register !== undefined && name === register) {
      if (result === 'unknown') throw new ResultUnknown(name, self);
      return result;
    }
    if (loopVar !== undefined && name === loopVar) return task.itemValue;
    return lookup(name);
  };
}

/** Whether all the conditions hold (a list of them, as Ansible ands them). */
function allHold(conditions: TaskSpec['changedWhen'], lookup: Lookup): boolean {
  return (conditions ?? []).every((c) => conditionHolds(c.expr, lookup));
}

export interface Judged {
  changed: boolean;
  failed: boolean;
  /** Why it failed, when a keyword made it fail (or could not be read). */
  error?: string;
  /** The keys the keywords add to the result (changed_when_result, failed_when_result). */
  adds: Registered;
}

/**
 * changed_when, then failed_when, as Ansible evaluates them after a task that was not
 * skipped. A condition that cannot be read fails the task and says why. A result check
 * mode cannot know (ResultUnknown) leaves what the task itself said.
 */
export function judge(spec: TaskSpec, result: Registered, lookup: Lookup): Judged {
  let changed = result.changed === true;
  let failed = result.failed === true;
  const adds: Registered = {};
  let which = 'changed_when';
  try {
    if (spec.changedWhen) changed = allHold(spec.changedWhen, lookup);
    which = 'failed_when';
    if (spec.failedWhen) {
      failed = allHold(spec.failedWhen, lookup);
      adds.failed_when_result = failed;
    }
  } catch (e) {
    if (e instanceof ResultUnknown) return { changed, failed, adds };
    const message = e instanceof Error ? e.message : String(e);
    return { changed, failed: true, error: `${which}: ${message}`, adds: { [`${which}_result`]: message } };
  }
  const conditions = spec.failedWhen?.map((c) => c.expr.trim()).join(' and ');
  return { changed, failed, adds, ...(failed && spec.failedWhen ? { error: `failed_when held: ${conditions}` } : {}) };
}

/** Whether `until` holds for this attempt's result (unknown in check mode: it does, nothing retries). */
export function untilHolds(spec: TaskSpec, lookup: Lookup): boolean {
  try {
    return allHold(spec.until?.conditions, lookup);
  } catch (e) {
    if (e instanceof ResultUnknown) return true;
    throw e;
  }
}
