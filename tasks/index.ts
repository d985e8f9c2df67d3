// The registry of task modules: a module is known by the file that defines it.
import type { TaskModule } from '../src/engine/task.ts';
import apt from './apt.ts';
import postconf from './postconf.ts';
import service from './service.ts';

export const modules: ReadonlyMap<string, TaskModule> = new Map(
  ([apt, postconf, service] as TaskModule[]).map((m) => [m.name, m]),
);
