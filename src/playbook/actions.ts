// The modules a playbook may name: the registry's (tasks/), and Ansible's actions that
// tend runs on the controller (set_fact, debug, assert, fail), by bare name and by
// ansible.builtin. / ansible.legacy. name.
import type { TaskModule } from '../module.ts';
import { ASSERT_MODULE } from './assert.ts';
import type { ControllerAction } from './controller-actions.ts';
import { DEBUG_MODULE } from './debug.ts';
import { FAIL_MODULE } from './fail.ts';
import { SET_FACT_MODULE } from './set-fact.ts';

export const CONTROLLER_ACTIONS: readonly ControllerAction[] = [ASSERT_MODULE, DEBUG_MODULE, FAIL_MODULE, SET_FACT_MODULE];

const byName = new Map<string, ControllerAction>(CONTROLLER_ACTIONS.map((a) => [a.name, a]));

const bare = (name: string) => name.replace(/^ansible\.(?:builtin|legacy)\./, '');

/** `modules` with the controller actions beside them (a module of the same name is theirs). */
export class WithControllerActions extends Map<string, TaskModule> {
  constructor(private readonly modules: ReadonlyMap<string, TaskModule>) {
    super([...modules, ...CONTROLLER_ACTIONS.filter((a) => !modules.has(a.name)).map((a) => [a.name, a] as const)].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  override get(name: string): TaskModule | undefined {
    return this.modules.get(name) ?? byName.get(bare(name));
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}
