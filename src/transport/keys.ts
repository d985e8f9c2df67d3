// The keys a run logs in with, as ssh picks them: the agent's identities (SSH_AUTH_SOCK),
// then the host's key file, else the default ones that exist (~/.ssh/id_ed25519,
// id_ecdsa, id_rsa). A passphrase-protected key is opened once per run with the
// passphrase from --key-passphrase-env, or asked once per key file at a terminal.
// Keys are read and opened before any host is contacted: a missing file, a wrong
// passphrase or a key in an unknown format is an input error that names the file.
import { createPrivateKey, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { InputError } from '../errors.ts';
import { expandHome } from '../local-user.ts';

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export interface KeyOptions {
  /** The passphrase for encrypted keys (from --key-passphrase-env). */
  passphrase?: string;
  /** Asks for a key's passphrase at a terminal; undefined when there is none. */
  ask?: (file: string) => Promise<string>;
}

export interface OpenedKey {
  file: string;
  /** The key as ssh2 takes it, opened once for the whole run (its passphrase used then). */
  key: ssh2.ParsedKey;
}

/** The hash each key type signs with when ssh2 names none (as its own keys do). */
const DEFAULT_HASH: Record<string, string | null> = {
  'ssh-ed25519': null,
  'ssh-rsa': 'sha1',
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
};

/**
 * The parsed key, signing with a private key object made once: ssh2's own keys parse
 * their PEM text at every signature, half a millisecond per host logged in to (measured
 * with the simulated fleet: about a tenth of the controller's CPU per host).
 */
function signingOnce(parsed: ssh2.ParsedKey): ssh2.ParsedKey {
  if (!(parsed.type in DEFAULT_HASH)) return parsed;
  const privateKey = createPrivateKey(parsed.getPrivatePEM());
  const fast = Object.create(parsed) as ssh2.ParsedKey;
  // ssh2 reads an Error returned (not thrown) as a failed signature.
  fast.sign = ((data: Buffer, algo?: string) => {
    try {
      return sign(algo ?? DEFAULT_HASH[parsed.type]!, data, privateKey);
    } catch (e) {
      return e as Error;
    }
  }) as ssh2.ParsedKey['sign'];
  return fast;
}

/** The key files a host would use: its own, else the defaults that exist. */
export function keyFilesFor(privateKey: string | undefined): string[] {
  if (privateKey !== undefined) return [privateKey];
  return DEFAULT_KEYS.map((f) => join(homedir(), '.ssh', f)).filter((f) => existsSync(f));
}

/** Opens each key file once (asking for passphrases as needed); keyed by file name. */
export class KeyRing {
  private readonly opened = new Map<string, OpenedKey>();

  constructor(private readonly options: KeyOptions) {}

  get(file: string): OpenedKey | undefined {
    return this.opened.get(file);
  }

  async open(files: Iterable<string>): Promise<void> {
    for (const file of files) {
      if (this.opened.has(file)) continue;
      let bytes: Buffer;
      try {
        bytes = readFileSync(expandHome(file));
      } catch (e) {
        throw new InputError(`private key ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`);
      }
      let parsed = ssh2.utils.parseKey(bytes);
      let passphrase: string | undefined;
      if (parsed instanceof Error && /no passphrase/i.test(parsed.message)) {
        passphrase = this.options.passphrase ?? (this.options.ask ? await this.options.ask(file) : undefined);
        if (passphrase === undefined) {
          throw new InputError(`private key ${file} is protected by a passphrase: give it with --key-passphrase-env NAME, or run at a terminal`);
        }
        parsed = ssh2.utils.parseKey(bytes, passphrase);
        if (parsed instanceof Error) throw new InputError(`private key ${file}: the passphrase does not open it`);
      } else if (parsed instanceof Error) {
        throw new InputError(`private key ${file} is not a key tend can read (${parsed.message})`);
      }
      const key = Array.isArray(parsed) ? (parsed[0] as ssh2.ParsedKey) : parsed;
      this.opened.set(file, { file, key: signingOnce(key) });
    }
  }
}
