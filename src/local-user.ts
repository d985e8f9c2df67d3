// Who runs tend, as ssh sees it: the login name a connection uses when nothing names
// one, and `~/` in a path given for this machine.
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The local login name (ssh's default user), or $USER when the account has none. */
export function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}

/** `~/x` → the home directory's `x`; other paths unchanged. */
export function expandHome(path: string): string {
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}
