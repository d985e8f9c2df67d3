// The options of commands that contact hosts and need SSH code: key files opened with
// their passphrases, and which ssh configuration applies. Apart from options.ts so that
// commands that contact nothing (validate, inventory, schema) load no SSH code.
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import type { Host } from '../inventory/index.ts';
import { keyFilesFor, KeyRing } from '../transport/keys.ts';
import { userSshConfig } from '../transport/ssh-config.ts';
import { askHidden } from './options.ts';

/**
 * The key files the hosts will log in with, opened before any is contacted: a
 * passphrase comes from --key-passphrase-env, or is asked once per file at a terminal.
 */
export async function openKeys(hosts: readonly Host[], flags: { keyPassphraseEnv?: string }): Promise<KeyRing> {
  let passphrase: string | undefined;
  if (flags.keyPassphraseEnv !== undefined) {
    passphrase = process.env[flags.keyPassphraseEnv];
    if (passphrase === undefined) throw new InputError(`--key-passphrase-env ${flags.keyPassphraseEnv}: no such environment variable`);
  }
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
