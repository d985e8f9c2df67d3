// The module contract, on the lowest floor: tasks/ implements it, playbook/ reads
// parameters against it, engine/ runs it. A module is data plus two small functions:
//   probe(params)          → one shell snippet whose output describes the current state
//   plan(params, probed)   → pure: the differences, and the commands that close them
// The engine runs probes, calls plan, and runs the commands; modules never do I/O.
import type { z } from 'zod';
import type { ShellText } from './shell.ts';

/**
 * What a probe printed. A probe made of several snippets (`probe` returned a list) gets
 * each snippet's output apart in `sections`, framed by the engine with a per-run random
 * token: a module never splits output on a marker of its own, since a managed file can
 * hold any line, marker-shaped ones included.
 */
export interface Probed {
  /** The first non-zero exit status among the snippets, else 0. */
  code: number;
  /** The first snippet's output (the only one's, for a one-snippet probe). */
  stdout: string;
  stderr: string;
  /** Each snippet's output, in order. */
  sections: string[];
  /** With --stats: host CPU (ms) the probe cost, from the shell's `times`. */
  cpuMs?: number;
}

/** A Probed from sections, for tests and fixtures. */
export function probedFrom(sections: readonly string[], code = 0, stderr = ''): Probed {
  return { code, stdout: sections[0] ?? '', stderr, sections: [...sections] };
}

/** One difference between the host and the playbook, described for people. */
export interface Change {
  /** What differs: a parameter name, a package, a path, a group. */
  subject: string;
  /** `set` a value, `add`/`remove` a member, `content` of a file, `run` a command. */
  kind: 'set' | 'add' | 'remove' | 'content' | 'run';
  before?: string | null;
  after?: string | null;
  /** Values are never shown: output prints `(secret)`. */
  secret?: boolean;
  /** Why, when it is not obvious from before/after (e.g. "certificate expires in 3 days"). */
  reason?: string;
}

export interface Plan {
  changes: Change[];
  /** Run in order, in one remote script that stops at the first failure. */
  commands: ShellText[];
  /**
   * A file of this machine's to stream to the host first (in a round trip of its own,
   * never held in memory whole): `script` runs with the file as its stdin.
   */
  upload?: { file: string; script: ShellText };
}

/** Thrown by `plan` when the probe could not read the state at all (a tool is missing…). */
export class ProbeFailed extends Error {}

/**
 * How a module behaves under `--check`:
 * - `plans`: its probe reads the state and its plan says exactly what would change;
 *   nothing runs (the default, and every module that changes a host);
 * - `read-only`: it changes nothing, so check mode runs it as apply does (stat, slurp);
 * - `unsupported`: what it would do cannot be known without doing it: check mode skips
 *   it and says so, as Ansible does for a module without check-mode support.
 */
export type CheckMode = 'plans' | 'read-only' | 'unsupported';

/**
 * A task's result as `register` exposes it, in Ansible's shape: the common keys, then
 * the module's own return keys (`stat`, `content`, `rc`, …).
 */
export interface RegisteredResult {
  changed: boolean;
  failed: boolean;
  skipped?: boolean;
  msg?: string;
  [returnKey: string]: unknown;
}

/** A task's commands as they ran on the host: for `returns`. */
export interface CommandsRan {
  code: number;
  stdout: string;
  stderr: string;
  /** When they were sent and when their result came back (the controller's clock). */
  start: Date;
  end: Date;
}

export interface TaskModule<P = unknown> {
  name: string;
  /** Under --check; `plans` when absent. */
  checkMode?: CheckMode;
  summary: string;
  params: z.ZodType<P>;
  /** A short YAML example of the task, for `tend modules`. */
  example: string;
  /** Parameter names whose values are secret. */
  secrets?: readonly string[];
  /** Secret values held in parameters that are secret only sometimes (a password answer, a `secret: true` file's content). */
  secretValues?(params: P): readonly string[];
  /**
   * Reads what the task needs from the controller, once, when the playbook is loaded
   * (a template file, say). Errors become input errors at the task's location.
   */
  resolve?(raw: Record<string, unknown>, context: { baseDir: string }): Record<string, unknown>;
  /** One snippet, or several whose outputs reach `plan` apart, as `probed.sections`. */
  probe(params: P): ShellText | readonly ShellText[];
  plan(params: P, probed: Probed): Plan;
  /**
   * The module's own return keys for `register` (the common keys are the engine's), from
   * what it read and planned, and what its commands printed when they ran (`ran`; absent
   * when they did not: nothing to do, or check mode).
   */
  returns?(params: P, probed: Probed, plan: Plan, context: { ran?: CommandsRan; check: boolean }): Record<string, unknown>;
  /**
   * What `register` holds cannot be known without running the commands (a command's
   * output): in check mode, a task that would run them leaves its registered value unknown,
   * and the tasks that read it wait for it (`pending`), where Ansible would guess.
   */
  resultNeedsRun?: boolean;
}

export function defineTask<S extends z.ZodType>(module: TaskModule<z.output<S>> & { params: S }): TaskModule<z.output<S>> {
  return module;
}

export const NO_CHANGE: Plan = { changes: [], commands: [] };

/**
 * A parameter value made for each host when the parameters are rendered, in place of the
 * usual templating of task arguments: a template file, rendered with the host's variables
 * and facts (the template module's). Compiled once, when the playbook is read.
 * `reads` names the variables it reads, as `{{ name }}` texts (`{{ name is defined }}`
 * where only tested), so the checks that read parameters see them.
 */
export interface HostRendered {
  readonly reads: string;
  renderForHost(lookup: (name: string) => unknown): string;
}

export const isHostRendered = (v: unknown): v is HostRendered =>
  typeof v === 'object' && v !== null && typeof (v as HostRendered).renderForHost === 'function';

/**
 * The modules tend has, by bare name (`apt`) and by Ansible's full name
 * (`ansible.builtin.apt`; `ansible.legacy.apt` too, which Ansible resolves to the builtin
 * module when no local one shadows it). Its keys are the bare names, so lists and
 * suggestions show what people write most. tend's own modules have bare names only.
 */
export class ModuleRegistry extends Map<string, TaskModule> {
  readonly #collection = new Map<string, string>();

  /** `collections` maps a collection name (`ansible.builtin`, or `tend`) to its modules. */
  constructor(collections: Readonly<Record<string, readonly TaskModule[]>>) {
    super();
    // In name order, whatever their collection: `tend modules` and error messages list them so.
    const all = Object.entries(collections).flatMap(([collection, modules]) => modules.map((m) => ({ collection, m })));
    for (const { collection, m } of all.sort((a, b) => (a.m.name < b.m.name ? -1 : 1))) {
      if (super.has(m.name)) throw new Error(`two modules named ${m.name}`);
      super.set(m.name, m);
      this.#collection.set(m.name, collection);
    }
  }

  /** The module's bare name, for a bare or full name of a module this registry has. */
  bareName(name: string): string | undefined {
    if (super.has(name)) return name;
    const dot = name.lastIndexOf('.');
    if (dot < 0) return undefined;
    const [collection, bare] = [name.slice(0, dot), name.slice(dot + 1)];
    const ours = this.#collection.get(bare);
    if (ours === undefined || ours === 'tend') return undefined;
    return collection === ours || (collection === 'ansible.legacy' && ours === 'ansible.builtin') ? bare : undefined;
  }

  /** The collection a module (by bare name) belongs to. */
  collectionOf(name: string): string | undefined {
    return this.#collection.get(name);
  }

  override get(name: string): TaskModule | undefined {
    const bare = this.bareName(name);
    return bare === undefined ? undefined : super.get(bare);
  }

  override has(name: string): boolean {
    return this.bareName(name) !== undefined;
  }
}
