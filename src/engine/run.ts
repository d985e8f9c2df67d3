// The fleet: hosts in parallel (at most `forks` at once, and at most 10 SSH handshakes
// at once so sshd's MaxStartups never drops us), each host on its own connection.
import pLimit from 'p-limit';
import type { Host } from '../inventory/index.ts';
import type { Play } from '../playbook/load.ts';
import { KnownHosts } from '../transport/known-hosts.ts';
import { LocalTransport } from '../transport/local.ts';
import { SshTransport } from '../transport/ssh.ts';
import { UnreachableError, type Transport } from '../transport/types.ts';
import { runPlays, type HostEvents } from './host-run.ts';
import type { HostResult, RunResult, TaskResult } from './results.ts';

export interface RunOptions {
  check: boolean;
  forks: number;
  extraVars: Record<string, unknown>;
  knownHostsFiles: string[];
  acceptNewHostKeys: boolean;
  connectTimeoutMs: number;
}

export interface RunEvents {
  hostStarted(host: string): void;
  taskStarted(host: string, task: { number: number; name: string; handler: boolean }): void;
  taskDone(host: string, result: TaskResult): void;
  hostDone(result: HostResult): void;
}

const MAX_CONCURRENT_HANDSHAKES = 10;

/** `work` maps each host to the plays that target it. */
export async function runFleet(work: Map<Host, Play[]>, options: RunOptions, events: RunEvents): Promise<RunResult> {
  const started = Date.now();
  const knownHosts = KnownHosts.load(options.knownHostsFiles);
  const hostSlots = pLimit(Math.max(1, options.forks));
  const handshakes = pLimit(MAX_CONCURRENT_HANDSHAKES);

  const runHost = async (host: Host, plays: Play[]): Promise<HostResult> => {
    const hostStarted = Date.now();
    events.hostStarted(host.name);
    const become = plays.some((p) => p.become);
    const transport: Transport =
      host.connection === 'local'
        ? new LocalTransport(become)
        : new SshTransport(host, {
            knownHosts,
            acceptNewHostKeys: options.acceptNewHostKeys,
            connectTimeoutMs: options.connectTimeoutMs,
            become,
          });
    const hostEvents: HostEvents = {
      taskStarted: (t) => events.taskStarted(host.name, t),
      taskDone: (r) => events.taskDone(host.name, r),
    };
    const stats = () => ({ ...transport.stats, durationMs: Date.now() - hostStarted });
    let result: HostResult;
    try {
      await handshakes(() => transport.connect());
      const outcome = await runPlays(host, plays, transport, { check: options.check, extraVars: options.extraVars }, hostEvents);
      result = { host: host.name, ...outcome, stats: stats() };
    } catch (e) {
      const unreachable = e instanceof UnreachableError;
      result = {
        host: host.name,
        status: unreachable ? 'unreachable' : 'failed',
        tasks: [],
        error: e instanceof Error ? e.message : String(e),
        stats: stats(),
      };
    } finally {
      await transport.close();
    }
    events.hostDone(result);
    return result;
  };

  const hosts = await Promise.all([...work].map(([host, plays]) => hostSlots(() => runHost(host, plays))));
  return { mode: options.check ? 'check' : 'apply', hosts, durationMs: Date.now() - started };
}
