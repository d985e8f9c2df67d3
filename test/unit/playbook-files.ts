// What tests of the playbook loader share: a playbook written as files in a temporary
// directory, and the complaint a load makes, as the user would read it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InputError, InputErrors } from '../../src/errors.ts';

/** A directory of files (path → text); returns the playbook's path (site.yml in it). */
export function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tend-playbook-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return join(root, 'site.yml');
}

/** The input error `fn` throws, formatted; any other error is rethrown, and no error fails. */
export function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.format();
    if (e instanceof InputErrors) return e.message;
    throw e;
  }
  throw new Error('no error');
}
