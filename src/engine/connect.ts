// Reaching many hosts at once: at most `forks` hosts worked on, at most 10 SSH
// handshakes in flight to any one sshd (its MaxStartups drops more: the limit is per
// server, so many hosts handshake at once, and many aliases of one server do not), one
// connection per host, always closed. Shared by playbook runs and ad-hoc commands.
import pLimit from 'p-limit';
import type { Host } from '../inventory/index.ts';
import { KnownHosts } from '../transport/known-hosts.ts';
import type { KeyRing } from '../transport/keys.ts';
import type { RunControl } from './control.ts';
import { execPrefix, ExecTransport, localTransport } from '../transport/exec.ts';
import { SshTransport } from '../transport/ssh.ts';
import { newStats, UnreachableError, type Transport, type TransportStats } from '../transport/types.ts';

export interface ConnectOptions {
  /** Stops new hosts from starting, and aborts running ones on a second interrupt. */
  control?: RunControl;
  forks: number;
  knownHostsFiles: string[];
  acceptNewHostKeys: boolean;
  connectTimeoutMs: number;
  /** sudo's password for `become`, when sudo asks for one (never shown, never in argv). */
  becomePassword?: string;
  /** Key files opened beforehand (passphrases asked once). */
  keys?: KeyRing;
  /** How to reach a host, when not by its inventory connection (tests script one). */
  transportFor?: (host: Host) => Transport;
}

/** Per sshd (address and port): OpenSSH's MaxStartups starts refusing beyond 10. */
const MAX_HANDSHAKES_PER_SERVER = 10;

export interface HostOutcome<T> {
  host: Host;
  value?: T;
  error?: { message: string; unreachable: boolean; interrupted?: boolean };
  stats: TransportStats & { durationMs: number };
}

export async function forEachHost<T>(
  hosts: readonly Host[],
  options: ConnectOptions & { become: (host: Host) => boolean },
  work: (host: Host, transport: Transport) => Promise<T>,
  started?: (host: Host) => void,
): Promise<HostOutcome<T>[]> {
  const knownHosts = KnownHosts.load(options.knownHostsFiles);
  for (const warning of knownHosts.ignored) process.stderr.write(`tend: warning: ${warning}\n`);
  const hostSlots = pLimit(Math.max(1, options.forks));
  const servers = new Map<string, ReturnType<typeof pLimit>>();
  const handshakes = (host: Host) => {
    const server = `${host.address}:${host.port}`;
    let limit = servers.get(server);
    if (!limit) servers.set(server, (limit = pLimit(MAX_HANDSHAKES_PER_SERVER)));
    return limit;
  };
  // Bastions are loaded only when some host goes through one.
  const jumps = hosts.some((h) => h.jump)
    ? new (await import('../transport/jump.ts')).JumpPool({
        knownHosts,
        acceptNewHostKeys: options.acceptNewHostKeys,
        connectTimeoutMs: options.connectTimeoutMs,
        ...(options.keys ? { keys: options.keys } : {}),
      })
    : undefined;

  /** How to reach a host: a command prefix (containers, exec), this machine, or SSH. */
  const transportFor = (host: Host, become: boolean): Transport => {
    const prefix = execPrefix(host.connection, host.address, host.exec);
    if (prefix) return new ExecTransport(host.name, prefix);
    if (host.connection === 'local') return localTransport(become);
    return new SshTransport(host, {
      knownHosts,
      acceptNewHostKeys: options.acceptNewHostKeys,
      connectTimeoutMs: options.connectTimeoutMs,
      become,
      becomePassword: options.becomePassword,
      ...(options.keys ? { keys: options.keys } : {}),
    });
  };

  const one = async (host: Host): Promise<HostOutcome<T>> => {
    const begin = Date.now();
    if (options.control?.stopping) {
      const stats = { ...newStats(), durationMs: 0 };
      return { host, error: { message: 'interrupted before this host was contacted', unreachable: false, interrupted: true }, stats };
    }
    started?.(host);
    if (host.unreachable !== undefined) {
      // Known before any connection (an unknown ansible_connection, an unreadable key file): this host only.
      return { host, error: { message: `${host.name}: ${host.unreachable}`, unreachable: true }, stats: { ...newStats(), durationMs: 0 } };
    }
    const become = options.become(host);
    const transport = options.transportFor ? options.transportFor(host) : transportFor(host, become);
    const stats = () => ({ ...transport.stats, durationMs: Date.now() - begin });
    const unregister = options.control?.onAbort(() => transport.abort());
    try {
      await handshakes(host)(async () => {
        if (host.jump && jumps && transport instanceof SshTransport) {
          const sock = await jumps.tunnel(host, host.jump).catch((e: Error) => {
            throw new UnreachableError(`${host.name}: through ${host.jump!.map((h) => h.address).join(' → ')}: ${e.message}`);
          });
          await transport.connect(sock);
        } else await transport.connect();
      });
      const value = await work(host, transport);
      return { host, value, stats: stats() };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const interrupted = options.control?.aborted === true;
      return { host, error: { message, unreachable: !interrupted && e instanceof UnreachableError, interrupted }, stats: stats() };
    } finally {
      unregister?.();
      await transport.close();
    }
  };
  try {
    return await Promise.all(hosts.map((h) => hostSlots(() => one(h))));
  } finally {
    await jumps?.closeAll();
  }
}
