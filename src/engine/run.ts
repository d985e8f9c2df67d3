// A playbook over the fleet: every host on its own connection, its plays in order.
import type { Host } from '../inventory/index.ts';
import type { Play, TaskSpec } from '../playbook/plays.ts';
import { forEachHost, type ConnectOptions } from './connect.ts';
import { runPlays, type HostEvents } from './host-run.ts';
import type { RunMagic } from './magic-vars.ts';
import type { HostResult, RunResult, TaskResult } from './results.ts';

export interface RunOptions extends ConnectOptions {
  check: boolean;
  extraVars: Record<string, unknown>;
  /** Seconds a task's commands may run unless it says `timeout:`; 0 for no limit. */
  taskTimeoutS?: number;
  /** Measure host CPU per probe and task (--stats). */
  measure?: boolean;
  /** What the magic variables show (groups, hostvars, play hosts, …); none without it. */
  magic?: RunMagic;
  /** Which of the tasks an include brings run (--tags, --skip-tags); all without it. */
  selectTasks?: (specs: readonly TaskSpec[]) => TaskSpec[];
}

export interface RunEvents {
  hostStarted(host: string): void;
  taskStarted(host: string, task: { number: number; name: string; handler: boolean }): void;
  taskDone(host: string, result: TaskResult): void;
  hostDone(result: HostResult): void;
}

/** `work` maps each host to the plays that target it. */
export async function runFleet(work: Map<Host, Play[]>, options: RunOptions, events: RunEvents): Promise<RunResult> {
  const started = Date.now();
  // A play's batch (ansible_play_batch): its hosts in this run of the fleet, a wave's with serial:.
  const batches = new Map<Play, string[]>();
  const batchOf = (play: Play) => {
    let names = batches.get(play);
    if (!names) {
      names = [...work].filter(([, plays]) => plays.includes(play)).map(([host]) => host.name);
      batches.set(play, names);
    }
    return names;
  };
  const removed = (result: HostResult) => {
    if (result.status === 'failed' || result.status === 'unreachable') options.magic?.removed.add(result.host);
  };
  const outcomes = await forEachHost(
    [...work.keys()],
    { ...options, become: (host) => work.get(host)!.some((p) => p.become) },
    async (host, transport) => {
      const hostEvents: HostEvents = {
        taskStarted: (t) => events.taskStarted(host.name, t),
        taskDone: (r) => events.taskDone(host.name, r),
      };
      const outcome = await runPlays(
        host,
        work.get(host)!,
        transport,
        {
          check: options.check,
          extraVars: options.extraVars,
          taskTimeoutS: options.taskTimeoutS,
          control: options.control,
          measure: options.measure,
          ...(options.magic ? { magic: options.magic, batchOf } : {}),
          ...(options.selectTasks ? { selectTasks: options.selectTasks } : {}),
          // The transport runs every script as root when any of the host's plays becomes root.
          scriptUser: work.get(host)!.some((p) => p.become) ? 'root' : host.user,
        },
        hostEvents,
      );
      // Reported as soon as the host is done, not when the slowest host is.
      const result: HostResult = { host: host.name, ...outcome, stats: { ...transport.stats, durationMs: Date.now() - started } };
      removed(result);
      events.hostDone(result);
      return result;
    },
    (host) => events.hostStarted(host.name),
  );
  const hosts = outcomes.map((o): HostResult => {
    if (o.value) return { ...o.value, stats: o.stats };
    const result: HostResult = {
      host: o.host.name,
      status: o.error!.interrupted ? 'interrupted' : o.error!.unreachable ? 'unreachable' : 'failed',
      tasks: [],
      error: o.error!.message,
      stats: o.stats,
    };
    removed(result);
    events.hostDone(result);
    return result;
  });
  return {
    mode: options.check ? 'check' : 'apply',
    ...(options.control?.stopping ? { interrupted: true } : {}),
    hosts,
    durationMs: Date.now() - started,
  };
}
