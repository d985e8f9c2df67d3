// Ansible's actions that run on the controller, not on the host: set_fact, debug, assert
// and fail (include_vars, include_tasks and meta have their own files). Each decides its
// outcome from its parameters and the task's variables (`act`); the engine reports it,
// registers it, and, for set_fact, sets the variables. Nothing of them reaches the host.
import { NO_CHANGE, type TaskModule } from '../module.ts';
import { sh } from '../shell.ts';
import type { Lookup } from './template.ts';

/**
 * The module contract of a task that never touches the host (these, include_vars, meta):
 * nothing to read, nothing to change, the same in check mode.
 */
export const ON_CONTROLLER: Pick<TaskModule, 'checkMode' | 'probe' | 'plan'> = {
  checkMode: 'read-only',
  probe: () => sh`true`,
  plan: () => NO_CHANGE,
};

/** What a controller action decided, as its result shows it and `register` keeps it. */
export interface ActionOutcome {
  failed?: boolean;
  skipped?: boolean;
  /** For reports: what debug prints, why assert or fail failed. */
  msg?: string;
  /** set_fact: the variables it sets. */
  facts?: Record<string, unknown>;
  /** The result's own keys for `register` (msg, assertion, ansible_facts, …). */
  registered: Record<string, unknown>;
}

export interface ControllerAction extends TaskModule {
  act(params: unknown, lookup: Lookup): ActionOutcome;
  /** Names it sets on the host (set_fact's keys), read from its written parameters. */
  sets?(params: unknown): string[];
}

export const isControllerAction = (m: TaskModule): m is ControllerAction => typeof (m as Partial<ControllerAction>).act === 'function';
