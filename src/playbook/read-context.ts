// What the readers of task lists share (includes.ts, block.ts, load.ts): what a list
// inherits from the import, block or role around it, and the reading in progress. Types
// only, in a file of their own so that the readers import them without importing each
// other.
import type { InputError } from '../errors.ts';
import type { TaskModule } from '../module.ts';
import type { YamlPath, YamlSource } from '../yaml-source.ts';
import type { Condition, TaskSpec } from './plays.ts';
import type { SyntaxOptions } from './syntax/normalise.ts';

/** What a task list inherits from the import or role that brought it in. */
export interface Inherited {
  tags: string[];
  when: Condition[];
  scope?: TaskSpec['scope'];
  /** Where files named by templates and `src:` are looked for (not imports: those sit beside their importer). */
  baseDir: string;
  /** The play's `collections:`, through which bare module names resolve. */
  collections?: unknown;
  /** `vars:` of the blocks and imports around the tasks (a task's own win). */
  vars?: Record<string, unknown>;
  /** Task keywords a block gives its tasks, under their own. */
  keywords?: BlockKeywords;
  /** Where the numbers of tasks read when a host reaches an include go on from (set once the play is read). */
  later?: { number: number };
  /** The playbook's directory (include_vars looks there last). */
  playbookDir?: string;
}

export interface BlockKeywords {
  become?: boolean;
  become_user?: string;
  environment?: Record<string, string | number | boolean>;
  ignore_errors?: boolean | string;
  no_log?: boolean | string;
  check_mode?: boolean;
}

export interface ReadContext {
  modules: ReadonlyMap<string, TaskModule>;
  errors: InputError[];
  /** Reads one task entry (load.ts's readTask), numbered `number`. */
  readTask(source: YamlSource, task: Record<string, unknown>, path: YamlPath, number: number, inherited: Inherited): TaskSpec | null;
  /** Reads `when:` values into conditions, complaining at their location. */
  readConditions(source: YamlSource, when: unknown, path: YamlPath): Condition[];
  /** Files being imported right now: a file importing itself is refused. */
  importing: string[];
  /** Shared by the whole playbook: tasks and imports read so far, and each task file parsed once. */
  expansion: Expansion;
  /** How Ansible's task forms are normalised (syntax/normalise.ts). */
  syntax: SyntaxOptions;
}

export interface Expansion {
  entries: number;
  files: Map<string, YamlSource>;
}
