// What tasks set on one host as the run goes, and what a preparation walk (walk.ts)
// expects them to set before they have run.
// - HostVarsState: include_vars's variables, and set_fact's and register's (Ansible's
//   levels 18 and 19), kept from play to play and wave to wave; and, in check mode, the
//   names whose value cannot be known because the task that sets them would run but did
//   not (a command's output).
// - Overlay: while tasks are prepared ahead of running (one round trip reads them all),
//   what the controller-side tasks among them will set (set_fact's values, include_vars's
//   file), and the names a task will register once it has run: a task reading such a
//   name waits, and is prepared again when the run reaches it.

/** The task that sets a name, as results point to it. */
export interface TaskRef {
  number: number;
  name: string;
}

export interface HostVarsState {
  included: Record<string, unknown>;
  facts: Record<string, unknown>;
  /** Check mode: names the task that would set them did not (it would run; what it would give is unknown). */
  unknown: Map<string, TaskRef>;
}

export interface Overlay {
  included: Record<string, unknown>;
  facts: Record<string, unknown>;
  /** Names tasks before this point register (or set from values not known yet) when they run. */
  waiting: Map<string, TaskRef>;
  /** A task whose effects cannot be told before it runs (an include_vars whose file name waits): every later task waits for it. */
  barrier?: TaskRef;
}

/** Thrown by a lookup asked for a name a task before it sets when it runs. */
export class ResultWaiting extends Error {
  constructor(
    readonly variable: string,
    readonly setBy: TaskRef,
  ) {
    super(`'${variable}' is set by task ${setBy.number} (${setBy.name}) when it runs`);
  }
}

/** Thrown, in check mode, by a lookup asked for a name whose value the run cannot know. */
export class ResultUnknown extends Error {
  constructor(
    readonly variable: string,
    readonly after: TaskRef,
  ) {
    super(`'${variable}' is known only once task ${after.number} (${after.name}) has run`);
  }
}

export function newHostVarsState(): HostVarsState {
  return { included: Object.create(null), facts: Object.create(null), unknown: new Map() };
}

export function newOverlay(): Overlay {
  return { included: Object.create(null), facts: Object.create(null), waiting: new Map() };
}

/** Throws when `name` cannot be read yet: a task before it sets it when it runs, or check mode cannot know it. */
export function guardName(state: HostVarsState, overlay: Overlay, name: string): void {
  const setBy = overlay.waiting.get(name);
  if (setBy) throw new ResultWaiting(name, setBy);
  if (Object.hasOwn(overlay.facts, name)) return;
  const after = state.unknown.get(name);
  if (after) throw new ResultUnknown(name, after);
}
