// OpenSSH's own configuration (~/.ssh/config), applied as Ansible effectively applies
// it: Ansible runs ssh, so ssh's config decides what the inventory leaves open — the
// real host name behind an alias, the user, the port, the identity files. tend asks
// OpenSSH itself (`ssh -G`, exact semantics: Host, Match, Include, tokens), once per
// distinct destination, and only when a user configuration exists. What the inventory
// says wins, as a command line wins over ssh's config. A ProxyJump or ProxyCommand
// there is refused with a clear error: tend does not go through bastions yet.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { expandHome } from '../local-user.ts';
import type { Host } from '../inventory/index.ts';
import { parseJumpSpec } from '../inventory/jump-spec.ts';

const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'].map((f) => `~/.ssh/${f}`);

/** The user's ~/.ssh/config, where ssh looks for it (the account's home, not $HOME). */
export function userSshConfig(): string | undefined {
  let home: string;
  try {
    home = userInfo().homedir;
  } catch {
    home = homedir();
  }
  const file = join(home, '.ssh', 'config');
  return existsSync(file) ? file : undefined;
}

/** Hosts with what ~/.ssh/config adds for them; unchanged when there is none. */
export function applySshConfig(hosts: readonly Host[], configFile = userSshConfig()): Host[] {
  if (configFile === undefined) return [...hosts];
  // The user's own file is read by plain `ssh` (with the system-wide one after it, as
  // Ansible's ssh gets them); another file replaces both, as `ssh -F` does.
  const fileArgs = configFile === userSshConfig() ? [] : ['-F', configFile];
  const cache = new Map<string, Map<string, string[]> | null>();
  /** ssh's view of a destination; null when there is no ssh client to ask. */
  const ask = (destination: string, user: string | undefined, port: number | undefined, host: Host): Map<string, string[]> | null => {
    const args = ['-G', ...fileArgs];
    if (user !== undefined) args.push('-l', user);
    if (port !== undefined) args.push('-p', String(port));
    args.push('--', destination);
    const key = args.join('\0');
    if (!cache.has(key)) {
      const r = spawnSync('ssh', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      if (r.error) cache.set(key, null);
      else if (r.status !== 0) throw new InputError(`host '${host.name}': ${configFile}: ${r.stderr.trim().split('\n')[0]}`, host.location);
      else {
        const resolved = new Map<string, string[]>();
        for (const line of r.stdout.split('\n')) {
          const sp = line.indexOf(' ');
          if (sp <= 0) continue;
          const k = line.slice(0, sp);
          resolved.set(k, [...(resolved.get(k) ?? []), line.slice(sp + 1)]);
        }
        cache.set(key, resolved);
      }
    }
    return cache.get(key)!;
  };
  return hosts.map((host) => {
    if (host.connection !== 'ssh') return host;
    const resolved = ask(host.address, host.explicit?.user ? host.user : undefined, host.explicit?.port ? host.port : undefined, host);
    if (resolved === null) return host; // no ssh client: nothing to learn from it
    const one = (k: string) => resolved.get(k)?.[0];
    const command = one('proxycommand');
    if (command !== undefined && command !== 'none') {
      throw new InputError(`host '${host.name}': ${configFile} sets ProxyCommand ${command} for it; tend goes through bastions with ProxyJump only`, host.location);
    }
    const proxyJump = one('proxyjump');
    // The inventory's own jump wins, as a command-line -J wins over ssh's config.
    const hops = host.jump ?? (proxyJump !== undefined && proxyJump !== 'none' ? parseJumpSpec(proxyJump, `${configFile}: ProxyJump`) : undefined);
    // Each hop may be an alias of ssh's config too: its real name, user and port.
    const jump = hops?.map((hop) => {
      const seen = ask(hop.address, hop.user, hop.port === 22 ? undefined : hop.port, host);
      if (seen === null) return hop;
      const at = (k: string) => seen.get(k)?.[0];
      return { address: at('hostname') ?? hop.address, port: Number(at('port') ?? hop.port), user: hop.user ?? at('user') };
    });
    const identities = (resolved.get('identityfile') ?? []).filter((f) => !DEFAULT_IDENTITIES.includes(f));
    const identity = identities.map(expandHome).find((f) => existsSync(f));
    return {
      ...host,
      address: one('hostname') ?? host.address,
      user: host.explicit?.user ? host.user : (one('user') ?? host.user),
      port: host.explicit?.port ? host.port : Number(one('port') ?? host.port),
      ...(host.privateKey === undefined && identity !== undefined ? { privateKey: identity } : {}),
      ...(jump === undefined ? {} : { jump }),
      ...(one('connecttimeout') && one('connecttimeout') !== 'none' ? { connectTimeoutS: Number(one('connecttimeout')) } : {}),
      ...(one('identitiesonly') === 'yes' ? { identitiesOnly: true } : {}),
    };
  });
}
