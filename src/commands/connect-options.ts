// The options of commands that contact hosts and need SSH code: key files opened with
// their passphrases, and which ssh configuration applies. Apart from options.ts so that
// commands that contact nothing (validate, inventory, schema) load no SSH code.
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { connectionWithExtraVars, keyFileProblem, type Host } from '../inventory/index.ts';
import { keyFilesFor, KeyRing } from '../transport/keys.ts';
import { applySshConfig, userSshConfig } from '../transport/ssh-config.ts';
import { checkContainerHosts } from '../transport/exec.ts';
import { askHidden, parseExtraVars, secretFromEnv } from './options.ts';

/**
 * Hosts as they will be contacted, in the same order: -e over their connection variables
 * (as in Ansible, extra variables win), what ssh's config adds (alias host names, users,
 * ports, keys, jumps), key files opened before any host is contacted (a passphrase asked
 * once). A host whose key file cannot be read is marked unreachable with that reason
 * rather than stopping the run: the others go on. `keys: false` (listing) opens none.
 */
export async function prepareHosts(
  selected: readonly Host[],
  flags: { sshConfig?: string; keyPassphraseEnv?: string; extraVars?: string[] },
  options: { keys?: boolean } = {},
): Promise<{ hosts: Host[]; keys: KeyRing }> {
  const extraVars = parseExtraVars(flags.extraVars ?? []);
  const configured = applySshConfig(
    selected.map((h) => connectionWithExtraVars(h, extraVars)),
    sshConfigFile(flags),
  );
  const hosts = configured.map((h) => {
    const problem = h.unreachable === undefined && h.connection === 'ssh' ? keyFileProblem(h) : undefined;
    return problem === undefined ? h : { ...h, unreachable: problem };
  });
  checkContainerHosts(hosts);
  const usable = hosts.filter((h) => h.unreachable === undefined);
  return { hosts, keys: options.keys === false ? new KeyRing({}) : await openKeys(usable, flags) };
}

/**
 * The key files the hosts will log in with, opened before any is contacted: a
 * passphrase comes from --key-passphrase-env, or is asked once per file at a terminal.
 */
export async function openKeys(hosts: readonly Host[], flags: { keyPassphraseEnv?: string }): Promise<KeyRing> {
  const passphrase = flags.keyPassphraseEnv === undefined ? undefined : secretFromEnv('--key-passphrase-env', flags.keyPassphraseEnv);
  const ask = process.stdin.isTTY ? (file: string) => askHidden(`Passphrase for ${file}: `) : undefined;
  const ring = new KeyRing({ ...(passphrase === undefined ? {} : { passphrase }), ...(ask ? { ask } : {}) });
  await ring.open(new Set(hosts.filter((h) => h.connection === 'ssh').flatMap((h) => keyFilesFor(h.privateKey))));
  return ring;
}

/** --ssh-config, checked readable; else the user's own config, if any. */
export function sshConfigFile(flags: { sshConfig?: string }): string | undefined {
  if (flags.sshConfig === undefined) return userSshConfig();
  try {
    readFileSync(flags.sshConfig);
  } catch (e) {
    throw new InputError(`--ssh-config ${flags.sshConfig}: cannot read it (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  return flags.sshConfig;
}
