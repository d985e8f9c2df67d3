// What a run produced, per host and per task: the one model every report reads.
import type { Change } from '../module.ts';

export type TaskStatus = 'ok' | 'changed' | 'would-change' | 'pending' | 'failed' | 'skipped';

export interface TaskResult {
  play: string;
  /** 1-based number of the task in its play (handlers follow the tasks). */
  number: number;
  name: string;
  module: string;
  handler: boolean;
  status: TaskStatus;
  changes: Change[];
  /** For `pending`: the earlier task whose change this one waits for. */
  after?: { number: number; name: string };
  error?: string;
  durationMs: number;
  /** With --stats: host CPU (ms) of reading this task's state, and of its commands if they ran. */
  remoteCpuMs?: number;
  /** The loop item this result is for (loop_control.label), when the task loops. */
  item?: string;
  /** Why a skipped task was skipped (`condition false: …`); absent when an earlier failure stopped the host. */
  reason?: string;
  /** `ignore_errors: true` — this task failed, and the host went on. */
  ignored?: boolean;
  /** What a controller-side task says (debug's message, assert's): shown as it is, escaped. */
  msg?: string;
}

/** A playbook with `serial:` plays, as it rolled out (engine/rollout.ts runs it). */
export interface Rollout {
  waves: { play: string; hosts: string[]; failed: number }[];
  stopped?: { play: string; wave: number; waves: number; failed: number; size: number; reason: string };
  /** Hosts a stopped rollout never started (in any play). */
  notStarted: string[];
  /** Hosts that ran some plays but not all: the stop came first. */
  notFinished: string[];
}

/** `interrupted`: Ctrl-C or SIGTERM stopped the run before this host was done. */
export type HostStatus = 'ok' | 'changed' | 'failed' | 'unreachable' | 'interrupted';

export interface HostResult {
  host: string;
  status: HostStatus;
  tasks: TaskResult[];
  error?: string;
  stats: { roundTrips: number; bytesSent: number; bytesReceived: number; connectMs: number; durationMs: number; remoteCpuMs?: number };
}

export interface RunResult {
  mode: 'apply' | 'check';
  /** Set when the run was stopped by an interrupt. */
  interrupted?: boolean;
  hosts: HostResult[];
  durationMs: number;
  /** Plays with `serial:`: the waves, and where a failed wave stopped the rollout. */
  rollout?: Rollout;
}

/** Changed, or would change (now or after an earlier task). */
export function isChange(status: TaskStatus): boolean {
  return status === 'changed' || status === 'would-change' || status === 'pending';
}

/** The exit status of a run stopped by Ctrl-C, as shells report a SIGINT. */
export const INTERRUPTED_EXIT = 130;

/**
 * DESIGN.md's bitmask: 1 failed · 2 changes (check, or apply --detailed-exitcode) · 4
 * unreachable. An interrupted run exits 130 instead, as shells expect.
 */
export function exitCode(run: RunResult, detailed: boolean): number {
  if (run.interrupted) return INTERRUPTED_EXIT;
  let code = 0;
  if (run.hosts.some((h) => h.status === 'failed')) code |= 1;
  const changed = run.hosts.some((h) => h.tasks.some((t) => isChange(t.status)));
  if (changed && (run.mode === 'check' || detailed)) code |= 2;
  if (run.hosts.some((h) => h.status === 'unreachable')) code |= 4;
  return code;
}
