// Reaching many hosts at once: at most `forks` hosts worked on, at most 10 SSH
// handshakes in flight (so sshd's MaxStartups never drops us), one connection per
// host, always closed. Shared by playbook runs and ad-hoc commands.
import pLimit from 'p-limit';
import type { Host } from '../inventory/index.ts';
import { KnownHosts } from '../transport/known-hosts.ts';
import { LocalTransport } from '../transport/local.ts';
import { SshTransport } from '../transport/ssh.ts';
import { UnreachableError, type Transport, type TransportStats } from '../transport/types.ts';

export interface ConnectOptions {
  forks: number;
  knownHostsFiles: string[];
  acceptNewHostKeys: boolean;
  connectTimeoutMs: number;
}

const MAX_CONCURRENT_HANDSHAKES = 10;

export interface HostOutcome<T> {
  host: Host;
  value?: T;
  error?: { message: string; unreachable: boolean };
  stats: TransportStats & { durationMs: number };
}

export async function forEachHost<T>(
  hosts: readonly Host[],
  options: ConnectOptions & { become: (host: Host) => boolean },
  work: (host: Host, transport: Transport) => Promise<T>,
  started?: (host: Host) => void,
): Promise<HostOutcome<T>[]> {
  const knownHosts = KnownHosts.load(options.knownHostsFiles);
  const hostSlots = pLimit(Math.max(1, options.forks));
  const handshakes = pLimit(MAX_CONCURRENT_HANDSHAKES);

  const one = async (host: Host): Promise<HostOutcome<T>> => {
    const begin = Date.now();
    started?.(host);
    const become = options.become(host);
    const transport: Transport =
      host.connection === 'local'
        ? new LocalTransport(become)
        : new SshTransport(host, {
            knownHosts,
            acceptNewHostKeys: options.acceptNewHostKeys,
            connectTimeoutMs: options.connectTimeoutMs,
            become,
          });
    const stats = () => ({ ...transport.stats, durationMs: Date.now() - begin });
    try {
      await handshakes(() => transport.connect());
      const value = await work(host, transport);
      return { host, value, stats: stats() };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return { host, error: { message, unreachable: e instanceof UnreachableError }, stats: stats() };
    } finally {
      await transport.close();
    }
  };
  return Promise.all(hosts.map((h) => hostSlots(() => one(h))));
}
