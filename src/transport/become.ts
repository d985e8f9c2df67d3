// Becoming root with sudo when sudo wants a password. The password travels on the
// channel's stdin, and only when sudo has asked for it with our own random prompt: it is
// never in argv (here or on the host), never sent to a sudo that did not ask (a
// NOPASSWD rule, where it would reach the shell as a command), never printed. `-k`
// makes sudo ask every time instead of trusting a cached credential, so what happens
// does not depend on the last run. The script is sent only once sudo has started the
// shell, which says so with a random marker on stderr.
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { quote } from '../shell.ts';

/** sudo refused the password, or did not answer as expected: the host fails, clearly. */
export class BecomeError extends Error {}

export interface SudoSession {
  /** The command to exec: sudo, then a shell that announces itself, then `inner`. */
  command: string;
  /**
   * Feeds stderr through the exchange; resolves when the script may be sent. Returns the
   * stderr that belongs to the script (after the marker), through `rest`.
   */
  start(stream: Duplex & { stderr: NodeJS.ReadableStream }, script: Buffer): Promise<void>;
  /** stderr with the exchange removed. */
  clean(stderr: Buffer): Buffer;
}

export function sudoWithPassword(inner: string, password: string, who: string, waitMs: number): SudoSession {
  const nonce = randomBytes(8).toString('hex');
  const prompt = `[tend-sudo-${nonce}]`;
  const ready = `tend-ready-${nonce}`;
  const command = `sudo -k -S -p ${quote(prompt)} /bin/sh -c ${quote(`echo ${ready} >&2; exec ${inner}`)}`;
  return {
    command,
    clean: (stderr) => {
      const text = stderr.toString('latin1');
      const at = text.indexOf(`${ready}\n`);
      return at < 0 ? stderr : Buffer.from(text.slice(at + ready.length + 1), 'latin1');
    },
    start: (stream, script) =>
      new Promise((resolve, reject) => {
        let seen = '';
        let sent = false;
        const timer = setTimeout(() => finish(new BecomeError(`sudo on ${who} did not answer within ${waitMs / 1000} s`)), waitMs);
        const finish = (error?: Error) => {
          clearTimeout(timer);
          stream.stderr.off('data', onData);
          if (error) {
            stream.end();
            reject(error);
          } else resolve();
        };
        const onData = (chunk: Buffer) => {
          seen += chunk.toString('latin1');
          if (seen.includes(`${ready}\n`)) {
            stream.end(script);
            finish();
          } else if (seen.includes(prompt) && !sent) {
            sent = true;
            seen = seen.replace(prompt, '');
            stream.write(`${password}\n`);
          } else if (sent && (seen.includes(prompt) || /Sorry, try again|incorrect password/i.test(seen))) {
            finish(new BecomeError(`sudo on ${who} refused the become password`));
          } else if (/sudo: .*(not in the sudoers|not allowed|a password is required)/.test(seen)) {
            finish(new BecomeError(`sudo on ${who} refused: ${seen.trim().split('\n').pop()}`));
          }
        };
        stream.stderr.on('data', onData);
      }),
  };
}
