// `meta:` — Ansible's directives to the engine, not to the host. tend has flush_handlers
// (the handlers notified so far run now), noop, end_host (this host's play ends here,
// not failed) and end_play (Ansible ends the play for every host; tend runs each host at
// its own pace, so it ends the play for each host that reaches it: the same whenever the
// condition guarding it is the same on every host). The others are refused with why.
import { z } from 'zod';
import { defineTask, type TaskModule } from '../module.ts';
import { ON_CONTROLLER } from './controller-actions.ts';

export const META_ACTIONS = ['flush_handlers', 'noop', 'end_host', 'end_play'] as const;
export type MetaAction = (typeof META_ACTIONS)[number];

/** What the others do, and why tend refuses them. */
export const META_NOT_YET: Record<string, string> = {
  clear_facts: 'clear_facts: tend reads facts once per host and run; not yet',
  clear_host_errors: 'clear_host_errors: a failed host stays failed in tend; not yet',
  refresh_inventory: 'refresh_inventory: tend reads the inventory once, before any host; not yet',
  reset_connection: 'reset_connection: tend keeps one connection per host; not yet',
  end_batch: 'end_batch: not yet',
  role_complete: 'role_complete: not yet',
};

export const META_MODULE: TaskModule = defineTask({
  name: 'meta',
  summary: 'a directive to the engine (flush_handlers, noop, end_host, end_play)',
  example: 'meta: flush_handlers',
  params: z.object({ action: z.enum(META_ACTIONS) }).strict(),
  ...ON_CONTROLLER,
}) as TaskModule;
