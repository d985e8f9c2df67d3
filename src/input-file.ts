// Reading a playbook, inventory or variables file: refused before parsing when it is too
// big to be a real one, or not UTF-8 text; a byte-order mark is accepted and dropped.
// Parsers then see plain text, and a hostile file costs no more than a small one.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from './errors.ts';

/** The largest input file tend reads (the README states it). */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

export function readInputFile(file: string, what: string): string {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    // Opened without blocking (a FIFO would wait for a writer), then asked what it is
    // through the descriptor: only a regular file is read (/dev/zero never ends), and
    // never more than the cap, whatever its size says.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new InputError(`${what} ${file} is not a regular file; tend reads only regular files`, { file, line: 1, col: 1 });
    if (stat.size > MAX_INPUT_BYTES) throw tooBig(file, what, stat.size);
    bytes = Buffer.alloc(MAX_INPUT_BYTES + 1);
    let length = 0;
    for (let n; length < bytes.length && (n = readSync(fd, bytes, length, bytes.length - length, null)) > 0; ) length += n;
    if (length > MAX_INPUT_BYTES) throw tooBig(file, what); // it grew while it was read
    bytes = bytes.subarray(0, length);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return decodeText(file, bytes);
}

function tooBig(file: string, what: string, size?: number): InputError {
  const shown = size === undefined ? `over ${MAX_INPUT_BYTES / 1048576} MB` : `${(size / 1048576).toFixed(1)} MB`;
  return new InputError(`${what} ${file} is ${shown}; tend reads files up to ${MAX_INPUT_BYTES / 1048576} MB`, { file, line: 1, col: 1 });
}

/** UTF-8 text without its byte-order mark; an invalid byte is an error at its position. */
function decodeText(file: string, bytes: Buffer): string {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    // Where the first invalid byte is: decode the longest valid prefix.
    let lo = 0;
    let hi = body.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(0, mid), { stream: true });
        lo = mid;
      } catch {
        hi = mid - 1;
      }
    }
    // A sequence cut short is valid in a stream but not at the end: step back to its lead byte.
    const complete = (n: number) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(0, n));
        return true;
      } catch {
        return false;
      }
    };
    while (lo > 0 && !complete(lo)) lo--;
    const before = body.subarray(0, lo).toString('utf8');
    const lines = before.split('\n');
    throw new InputError(`not UTF-8 text (byte 0x${body[lo]?.toString(16).padStart(2, '0')})`, {
      file,
      line: lines.length,
      col: lines[lines.length - 1]!.length + 1,
    });
  }
}
