// --tags and --skip-tags, as Ansible decides (its taggable.py): a task runs when it has
// one of the --tags (default: all), `always` runs unless skipped by name, `never` runs
// only when one of its tags is asked for, `tagged`/`untagged` select by having tags at
// all; then --skip-tags removes (`all` removes everything but `always`). A task's tags
// include its play's and its import's. Handlers run when notified, whatever their tags.
import type { Playbook, TaskSpec } from './plays.ts';

export interface TagSelection {
  tags: string[];
  skipTags: string[];
}

const UNTAGGED = new Set(['untagged']);

/** Whether a task with these tags runs under this selection. */
export function tagsSelect(taskTags: readonly string[], selection: TagSelection): boolean {
  const tags = taskTags.length > 0 ? new Set(taskTags) : UNTAGGED;
  const only = selection.tags.length > 0 ? selection.tags : ['all'];
  const skip = selection.skipTags;
  const any = (list: readonly string[]) => list.some((t) => tags.has(t));
  const tagged = tags !== UNTAGGED;
  let run =
    tags.has('always') || (only.includes('all') && !tags.has('never')) || any(only) || (only.includes('tagged') && tagged && !tags.has('never'));
  if (run && skip.length > 0) {
    if (skip.includes('all')) run = tags.has('always') && !skip.includes('always');
    else if (any(skip)) run = false;
    else if (skip.includes('tagged') && tagged) run = false;
  }
  return run;
}

/** The playbook with only the tasks the selection runs (numbers kept, handlers kept). */
export function selectTags(playbook: Playbook, selection: TagSelection): Playbook {
  if (selection.tags.length === 0 && selection.skipTags.length === 0) return playbook;
  const keep = (t: TaskSpec) => tagsSelect(t.tags, selection);
  return { ...playbook, plays: playbook.plays.map((play) => ({ ...play, tasks: play.tasks.filter(keep) })) };
}

/** The tasks (an include's, read on a host) the selection runs. */
export function selectTasks(tasks: readonly TaskSpec[], selection: TagSelection): TaskSpec[] {
  return tasks.filter((t) => tagsSelect(t.tags, selection));
}

/** `a,b` (repeatable) → [a, b]. */
export function tagList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((t) => t.trim()).filter(Boolean);
}
