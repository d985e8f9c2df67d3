// OpenSSH's own configuration (~/.ssh/config), applied as Ansible effectively applies
// it: Ansible runs ssh, so ssh's config decides what the inventory leaves open — the
// real host name behind an alias, the user, the port, the identity files. tend asks
// OpenSSH itself (`ssh -G`, exact semantics: Host, Match, Include, tokens), once per
// distinct destination, and only when a user configuration exists. What the inventory
// says wins, as a command line wins over ssh's config. A ProxyJump or ProxyCommand
// there is refused with a clear error: tend does not go through bastions yet.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import type { Host } from '../inventory/index.ts';

const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'].map((f) => `~/.ssh/${f}`);

export function userSshConfig(): string | undefined {
  const file = join(homedir(), '.ssh', 'config');
  return existsSync(file) ? file : undefined;
}

/** Hosts with what ~/.ssh/config adds for them; unchanged when there is none. */
export function applySshConfig(hosts: readonly Host[], configFile = userSshConfig()): Host[] {
  if (configFile === undefined) return [...hosts];
  // The user's own file is read by plain `ssh` (with the system-wide one after it, as
  // Ansible's ssh gets them); another file replaces both, as `ssh -F` does.
  const fileArgs = configFile === userSshConfig() ? [] : ['-F', configFile];
  const cache = new Map<string, Map<string, string[]>>();
  return hosts.map((host) => {
    if (host.connection !== 'ssh') return host;
    const args = ['-G', ...fileArgs];
    if (host.explicit?.user) args.push('-l', host.user);
    if (host.explicit?.port) args.push('-p', String(host.port));
    args.push('--', host.address);
    const key = args.join('\0');
    let resolved = cache.get(key);
    if (!resolved) {
      const r = spawnSync('ssh', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      if (r.error) return host; // no ssh client: nothing to learn from it
      if (r.status !== 0) throw new InputError(`host '${host.name}': ${configFile}: ${r.stderr.trim().split('\n')[0]}`, host.location);
      resolved = new Map<string, string[]>();
      for (const line of r.stdout.split('\n')) {
        const sp = line.indexOf(' ');
        if (sp <= 0) continue;
        const k = line.slice(0, sp);
        resolved.set(k, [...(resolved.get(k) ?? []), line.slice(sp + 1)]);
      }
      cache.set(key, resolved);
    }
    const one = (k: string) => resolved.get(k)?.[0];
    for (const proxy of ['proxyjump', 'proxycommand']) {
      const value = one(proxy);
      if (value !== undefined && value !== 'none') {
        throw new InputError(`host '${host.name}': ${configFile} sets ${proxy === 'proxyjump' ? 'ProxyJump' : 'ProxyCommand'} ${value} for it; tend does not go through bastions yet`, host.location);
      }
    }
    const identities = (resolved.get('identityfile') ?? []).filter((f) => !DEFAULT_IDENTITIES.includes(f));
    const identity = identities.map((f) => (f.startsWith('~/') ? join(homedir(), f.slice(2)) : f)).find((f) => existsSync(f));
    return {
      ...host,
      address: one('hostname') ?? host.address,
      user: host.explicit?.user ? host.user : (one('user') ?? host.user),
      port: host.explicit?.port ? host.port : Number(one('port') ?? host.port),
      ...(host.privateKey === undefined && identity !== undefined ? { privateKey: identity } : {}),
    };
  });
}
