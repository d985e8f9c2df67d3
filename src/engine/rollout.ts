// Rolling waves: a play with `serial:` runs on its hosts a wave at a time — every task
// and handler on the first wave, then the next — and `max_fail_percentage:` (or a wave
// in which every host failed) stops the rollout: no later wave and no later play
// starts, and the report lists the hosts never started. As in Ansible, plays run one
// after another over the fleet, and a host that failed or was unreachable takes no part
// in later plays. Batching follows Ansible's: a number, "N%" of the play's hosts
// (rounded down, at least 1), or a list of them whose last item repeats.
//
// Differences from Ansible, on purpose: the failure limit is checked when a wave ends
// (tend runs a wave's hosts independently, as Ansible's free strategy does, so there is
// no task boundary shared by the wave), it counts a wave's own failures against that
// wave's size, and unreachable hosts count as failed: a rollout stops for hosts it
// cannot reach too.
import type { Host } from '../inventory/index.ts';
import type { Play } from '../playbook/plays.ts';
import type { HostResult, Rollout, RunResult } from './results.ts';
import { runFleet, type RunEvents, type RunOptions } from './run.ts';

export type SerialItem = number | string;

/** Does this playbook need waves (or the play-by-play order they bring)? */
export function usesRollout(plays: readonly Play[]): boolean {
  return plays.some((p) => p.serial !== undefined || p.maxFailPercentage !== undefined);
}

/** Ansible's `serial` batching of `hosts` (in their order). */
export function waves<T>(hosts: readonly T[], serial: readonly SerialItem[] | undefined): T[][] {
  const items = serial === undefined || serial.length === 0 ? [0] : serial;
  const left = [...hosts];
  const out: T[][] = [];
  let k = 0;
  while (left.length > 0) {
    const size = waveSize(items[k]!, hosts.length);
    if (size <= 0) {
      out.push(left.splice(0));
      break;
    }
    out.push(left.splice(0, size));
    k = Math.min(k + 1, items.length - 1);
  }
  return out;
}

function waveSize(item: SerialItem, total: number): number {
  if (typeof item === 'number') return Math.trunc(item);
  return Math.trunc((Number.parseInt(item, 10) / 100) * total) || 1;
}

/** The playbook's `plays` in order, wave by wave. `work` maps each host to its plays. */
export async function runRollout(
  plays: readonly Play[],
  work: Map<Host, Play[]>,
  options: RunOptions,
  events: RunEvents,
  /** How one wave runs: over SSH, or in tests a stand-in. */
  runWave: typeof runFleet = runFleet,
): Promise<RunResult & { rollout: Rollout }> {
  const started = Date.now();
  const byName = new Map([...work.keys()].map((host) => [host.name, host]));
  const hostNamed = (name: string) => byName.get(name)!;
  const remaining = new Map([...work].map(([host, hostPlays]) => [host, hostPlays.length]));
  const results = new Map<Host, HostResult>();
  const begun = new Set<Host>();
  const out = new Set<Host>();
  const rollout: Rollout = { waves: [], notStarted: [], notFinished: [] };

  // The reporters see each host start once and finish once, with everything it did.
  const hostEvents: RunEvents = {
    ...events,
    hostStarted: (name) => {
      const host = hostNamed(name);
      if (!begun.has(host)) events.hostStarted(name);
      begun.add(host);
    },
    hostDone: () => {},
  };
  const finish = (host: Host) => events.hostDone(results.get(host)!);

  const hostsOf = (play: Play) => [...work].filter(([host, hostPlays]) => hostPlays.includes(play) && !out.has(host)).map(([host]) => host);
  outer: for (const [p, play] of plays.entries()) {
    const batches = waves(hostsOf(play), play.serial);
    for (const [w, batch] of batches.entries()) {
      const run = await runWave(new Map(batch.map((host) => [host, [play]])), options, hostEvents);
      let failed = 0;
      for (const result of run.hosts) {
        const host = hostNamed(result.host);
        results.set(host, merge(results.get(host), result));
        remaining.set(host, remaining.get(host)! - 1);
        const dead = result.status === 'failed' || result.status === 'unreachable';
        if (dead) {
          failed++;
          out.add(host);
        }
        if (dead || result.status === 'interrupted' || remaining.get(host) === 0) finish(host);
      }
      rollout.waves.push({ play: play.name, hosts: batch.map((h) => h.name), failed });
      const limit = play.maxFailPercentage;
      const overLimit = limit !== undefined && (failed / batch.length) * 100 > limit;
      // Stopping matters only where something is left to start: a later wave or play
      // (asked only of a wave that failed: it walks every later play's hosts).
      const more = () => w < batches.length - 1 || plays.slice(p + 1).some((later) => hostsOf(later).length > 0);
      if (failed > 0 && (failed === batch.length || overLimit) && more()) {
        rollout.stopped = {
          play: play.name,
          wave: w + 1,
          waves: batches.length,
          failed,
          size: batch.length,
          reason: overLimit ? `${failed} of ${batch.length} hosts failed, over max_fail_percentage ${limit}` : `every host of the wave failed`,
        };
        break outer;
      }
    }
  }

  // A host some play never reached: reported with what it did, or as never started.
  for (const host of work.keys()) {
    if (!results.has(host)) rollout.notStarted.push(host.name);
    else if (remaining.get(host)! > 0 && !out.has(host) && results.get(host)!.status !== 'interrupted') {
      rollout.notFinished.push(host.name);
      finish(host);
    }
  }
  return {
    mode: options.check ? 'check' : 'apply',
    ...(options.control?.stopping ? { interrupted: true } : {}),
    hosts: [...results.values()],
    durationMs: Date.now() - started,
    rollout,
  };
}

const SEVERITY: Record<HostResult['status'], number> = { ok: 0, changed: 1, interrupted: 2, unreachable: 3, failed: 4 };

/** One host's results over several plays: tasks in order, the worst status, stats summed. */
function merge(before: HostResult | undefined, next: HostResult): HostResult {
  if (!before) return next;
  const worst = SEVERITY[next.status] >= SEVERITY[before.status] ? next : before;
  return {
    host: next.host,
    status: worst.status,
    tasks: [...before.tasks, ...next.tasks],
    ...(worst.error !== undefined ? { error: worst.error } : {}),
    stats: {
      roundTrips: before.stats.roundTrips + next.stats.roundTrips,
      bytesSent: before.stats.bytesSent + next.stats.bytesSent,
      bytesReceived: before.stats.bytesReceived + next.stats.bytesReceived,
      connectMs: before.stats.connectMs + next.stats.connectMs,
      durationMs: before.stats.durationMs + next.stats.durationMs,
      ...(before.stats.remoteCpuMs !== undefined || next.stats.remoteCpuMs !== undefined
        ? { remoteCpuMs: (before.stats.remoteCpuMs ?? 0) + (next.stats.remoteCpuMs ?? 0) }
        : {}),
    },
  };
}
