// Bastions (ProxyJump): hosts reached through one or more jump hosts, as `ssh -J`
// reaches them. Each bastion is one SSH connection, its host key verified against
// known_hosts like any target's, shared by every host behind it; the next hop travels
// as a forwarded channel on it (ssh2 forwardOut, then the next connection over that
// stream). A bastion logs in with its own user (from the jump spec, else the local login
// name, as ssh does) and the target's key, else the agent or default keys.
import type { Duplex } from 'node:stream';
import type { Host } from '../inventory/index.ts';
import { localUser } from '../local-user.ts';
import type { KnownHosts } from './known-hosts.ts';
import type { JumpHop } from '../inventory/jump-spec.ts';
import type { KeyRing } from './keys.ts';
import { SshTransport } from './ssh.ts';

export interface JumpOptions {
  knownHosts: KnownHosts;
  acceptNewHostKeys: boolean;
  connectTimeoutMs: number;
  keys?: KeyRing;
}

/** Bastion connections, opened once per chain and closed when the run ends. */
export class JumpPool {
  private readonly bastions = new Map<string, Promise<SshTransport>>();

  constructor(private readonly options: JumpOptions) {}

  /** A stream to the target through its hops. */
  async tunnel(target: Host, hops: readonly JumpHop[]): Promise<Duplex> {
    const last = await this.bastion(target, hops);
    return last.forward(target.address, target.port);
  }

  private bastion(target: Host, hops: readonly JumpHop[]): Promise<SshTransport> {
    const key = hops.map((h) => `${h.user ?? ''}@${h.address}:${h.port}`).join('>');
    let pending = this.bastions.get(key);
    if (!pending) {
      pending = (async () => {
        const hop = hops[hops.length - 1]!;
        const host: Host = {
          name: `bastion ${hop.user ? `${hop.user}@` : ''}${hop.address}${hop.port === 22 ? '' : `:${hop.port}`}`,
          connection: 'ssh',
          address: hop.address,
          port: hop.port,
          user: hop.user ?? localUser(),
          ...(target.privateKey ? { privateKey: target.privateKey } : {}),
          groups: [],
          vars: {},
        };
        const transport = new SshTransport(host, { ...this.options, become: false });
        const sock = hops.length > 1 ? await (await this.bastion(target, hops.slice(0, -1))).forward(hop.address, hop.port) : undefined;
        await transport.connect(sock);
        return transport;
      })();
      this.bastions.set(key, pending);
    }
    return pending;
  }

  async closeAll(): Promise<void> {
    for (const pending of this.bastions.values()) {
      try {
        await (await pending).close();
      } catch {
        // A bastion that never connected has nothing to close.
      }
    }
  }
}
