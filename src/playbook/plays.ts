// The play model: what reading a playbook makes (plays of task specs), and what the
// engine runs. Its own file, below the readers (load.ts, includes.ts, variables.ts,
// tags.ts), so that they share it without importing one another.
import type { SourceLocation } from '../errors.ts';
import type { TaskModule } from '../module.ts';
import type { YamlPath, YamlSource } from '../yaml-source.ts';

export interface TaskSpec {
  /** 1-based position in its play's task list (handlers are numbered after tasks). */
  number: number;
  name: string;
  module: TaskModule;
  params: unknown;
  notify: string[];
  /** Names a handler answers to: its name and its `listen` topics. */
  listen: string[];
  location: SourceLocation;
  /** YAML path of the module's parameters, to locate errors found later. */
  paramsPath: YamlPath;
  /** `timeout:` — seconds this task's commands may run (overrides --task-timeout). */
  timeoutS?: number;
  /** `when:` — conditions that must all hold (each an expression, with its YAML path). */
  when: Condition[];
  /** `loop:` or `with_NAME:` — the items (a list, or a template giving one), each a task instance. */
  loop?: {
    items: unknown;
    /** `with_NAME:`: the lookup plugin that makes the items from `items` (its terms). */
    with?: string;
    loopVar: string;
    label?: string;
    path: YamlPath;
  };
  /** `tags:`, with the play's (and an import's) added. */
  tags: string[];
  /** `ignore_errors: true` — a failure is reported and the host goes on (a template: decided per host and item). */
  ignoreErrors: boolean | string;
  /** `changed_when: false` — a command that only reads: never "changed", never notifies (check mode does not run it). */
  neverChanged: boolean;
  /** `register:` — the variable the task's result is kept in (register.ts). */
  register?: string;
  /** `changed_when:` — conditions (all must hold) that decide "changed" once the task ran; they may read its own result. */
  changedWhen?: Condition[];
  /** `failed_when:` — conditions that decide "failed" once the task ran. */
  failedWhen?: Condition[];
  /** `until:` — the task runs again (after `delayS`) until these hold, `attempts` times at most. */
  until?: { conditions: Condition[]; attempts: number; delayS: number };
  /** `become:` on the task (undefined: the play's). */
  become?: boolean;
  /** `become_user:` (with become: the user the task runs as; root when not given). */
  becomeUser?: string;
  /** `environment:` — values may be templates, rendered per host. */
  environment?: Record<string, unknown>;
  /** `no_log:` — hide the task's output (labels, changed values, errors): a boolean, or a template read per host and item. */
  noLog?: boolean | string;
  /** The file the task was read from (the playbook, an imported file, a role's). */
  source: YamlSource;
  /** YAML paths of its notify entries, to locate a handler that does not exist. */
  notifyPaths: YamlPath[];
  /** `include_vars:`: where its file is looked for, first to last (include-vars.ts). */
  varsDirs?: string[];
  /** `check_mode:` — true: only say what it would do, even in apply; false: run, even in check. */
  checkMode?: boolean;
  /** `vars:` of the task (and of the blocks and imports around it): above the inventory, below role parameters and -e. */
  vars?: Record<string, unknown>;
  /**
   * `include_tasks:`: the file's tasks, when they were read with the playbook, and how to
   * read the file a host's rendered name gives (include-tasks.ts).
   */
  include?: { tasks?: TaskSpec[]; read(file: string): TaskSpec[] };
  /** A role's task: its variables (defaults below the play's, vars above, parameters above the inventory). */
  scope?: { role: string; path?: string; defaults: Record<string, unknown>; vars: Record<string, unknown>; params: Record<string, unknown> };
}

export interface Condition {
  expr: string;
  path: YamlPath;
  source: YamlSource;
}

export interface Play {
  /** The play's name, or `play N` in tend's reports when it has none. */
  name: string;
  /** It has no name (Ansible then names it by its hosts: ansible_play_name). */
  unnamed?: boolean;
  hosts: string;
  /** `when:` on the play: for a host where it is false, every task is skipped. */
  when: Condition[];
  vars: Record<string, unknown>;
  /** The roles of `roles:`: their defaults and vars reach every task of the play, as in Ansible. */
  roles?: NonNullable<TaskSpec['scope']>[];
  become: boolean;
  /** pre_tasks, roles' tasks, tasks and post_tasks, in that order. */
  tasks: TaskSpec[];
  /** Positions in `tasks` after which the handlers notified so far run (the end of pre_tasks, of tasks). */
  flushAfter?: number[];
  handlers: TaskSpec[];
  /** Shell commands `tend smoke` runs after converging; each must exit 0. */
  verify: string[];
  /** `serial:` — wave sizes (a number or "N%"; the last repeats); absent: one wave. */
  serial?: (number | string)[];
  /** `max_fail_percentage:` — a wave with more failed hosts than this stops the rollout. */
  maxFailPercentage?: number;
  location: SourceLocation;
}

export interface Playbook {
  file: string;
  source: YamlSource;
  plays: Play[];
}
