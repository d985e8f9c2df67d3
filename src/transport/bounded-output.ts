// What a host prints, kept in bounded memory whatever its size. Two ways:
//   head and tail — for people (`tend run`, smoke's verify): the first and last bytes,
//                   how many were left out between them, and a SHA-256 of the whole, so
//                   two hosts that printed the same 400 MB still group as identical;
//   whole, capped — for probe scripts, which are parsed whole: every byte up to a cap,
//                   and past it nothing more is kept and the run fails, never truncated
//                   silently (a cut frame would read as a different state).
import { createHash, type Hash } from 'node:crypto';

/** Bytes kept from the start of an output shown to people. */
export const OUTPUT_HEAD_BYTES = 64 * 1024;
/** Bytes kept from the end of an output shown to people. */
export const OUTPUT_TAIL_BYTES = 64 * 1024;
/** The most a script read whole (probes, a task's commands) may print, stdout and stderr each. */
export const WHOLE_OUTPUT_CAP = 16 * 1024 * 1024;

/** An output as kept: `bytes` (head then tail), what was left out between them, the whole's digest. */
export interface KeptOutput {
  bytes: Buffer;
  /** How many bytes the host printed in all. */
  total: number;
  /** How many bytes between head and tail were not kept (0: `bytes` is the whole output). */
  dropped: number;
  /** Where in `bytes` the tail starts: the dropped bytes were between it and the byte before. */
  tailStart: number;
  /** SHA-256 (hex) of everything the host printed, dropped bytes included. */
  sha256: string;
}

/** The first `headBytes` and the last `tailBytes` of a stream, and a digest of all of it. */
export class HeadTailBuffer {
  private readonly head: Buffer;
  private headLength = 0;
  /** A ring: the last `tailBytes` past the head; `tailStart` is its oldest byte once full. */
  private readonly tail: Buffer;
  private tailLength = 0;
  private tailStart = 0;
  private total = 0;
  private readonly hash: Hash = createHash('sha256');

  constructor(
    headBytes = OUTPUT_HEAD_BYTES,
    private readonly tailBytes = OUTPUT_TAIL_BYTES,
  ) {
    this.head = Buffer.alloc(headBytes);
    this.tail = Buffer.alloc(tailBytes);
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    this.hash.update(chunk);
    const intoHead = Math.min(chunk.length, this.head.length - this.headLength);
    chunk.copy(this.head, this.headLength, 0, intoHead);
    this.headLength += intoHead;
    if (intoHead < chunk.length) this.pushTail(chunk.subarray(intoHead));
  }

  private pushTail(rest: Buffer): void {
    const size = this.tailBytes;
    if (size === 0) return;
    // Only the last `size` bytes of this chunk can survive it.
    const keep = rest.length > size ? rest.subarray(rest.length - size) : rest;
    for (let done = 0; done < keep.length; ) {
      const at = (this.tailStart + this.tailLength) % size;
      const n = Math.min(keep.length - done, size - at);
      keep.copy(this.tail, at, done, done + n);
      done += n;
      const overflow = Math.max(0, this.tailLength + n - size);
      this.tailLength = Math.min(size, this.tailLength + n);
      this.tailStart = (this.tailStart + overflow) % size;
    }
  }

  finish(): KeptOutput {
    const tail = Buffer.concat([this.tail.subarray(this.tailStart, this.tailStart + this.tailLength), this.tail.subarray(0, Math.max(0, this.tailStart + this.tailLength - this.tailBytes))]);
    const bytes = Buffer.concat([this.head.subarray(0, this.headLength), tail]);
    return { bytes, total: this.total, dropped: this.total - bytes.length, tailStart: this.headLength, sha256: this.hash.digest('hex') };
  }
}

/** Every byte of a stream up to `cap`; past it nothing more is kept and `exceeded` says so. */
export class CappedBuffer {
  private chunks: Buffer[] = [];
  private length = 0;
  exceeded = false;

  constructor(readonly cap = WHOLE_OUTPUT_CAP) {}

  /** Returns false once the cap is passed (the caller may stop the stream). */
  push(chunk: Buffer): boolean {
    if (this.exceeded) return false;
    this.length += chunk.length;
    if (this.length > this.cap) {
      this.exceeded = true;
      this.chunks = [];
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** How a run's output is kept: whole up to a cap (the default), or head and tail. */
export type OutputMode = 'whole' | 'head-and-tail';

/** One stream of a script (stdout or stderr) collected as the mode says. */
export interface OutputCollector {
  /** Returns false when the stream should be stopped: its cap is passed. */
  push(chunk: Buffer): boolean;
}

/** Collects stdout and stderr of one run and gives back what the RunResult carries. */
export class RunOutput {
  private readonly streams: [HeadTailBuffer, HeadTailBuffer] | [CappedBuffer, CappedBuffer];
  constructor(readonly mode: OutputMode = 'whole') {
    this.streams = mode === 'head-and-tail' ? [new HeadTailBuffer(), new HeadTailBuffer()] : [new CappedBuffer(), new CappedBuffer()];
  }

  /** False once a capped stream passed its cap: the script should be stopped. */
  stdout(chunk: Buffer): boolean {
    return this.push(0, chunk);
  }

  stderr(chunk: Buffer): boolean {
    return this.push(1, chunk);
  }

  private push(i: 0 | 1, chunk: Buffer): boolean {
    const stream = this.streams[i];
    if (stream instanceof HeadTailBuffer) {
      stream.push(chunk);
      return true;
    }
    return stream.push(chunk);
  }

  /** The error to fail the run with, when a capped stream passed its cap. */
  overflow(what: string): Error | undefined {
    const [out, err] = this.streams;
    if (out instanceof CappedBuffer && err instanceof CappedBuffer && (out.exceeded || err.exceeded)) {
      const which = out.exceeded ? 'output' : 'error output';
      return new OutputTooLarge(`${what}: probe ${which} exceeded ${out.cap} bytes (scripts that tend reads whole may print at most that); the script was stopped`);
    }
    return undefined;
  }

  finish(): { stdout: Buffer; stderr: Buffer; kept?: { stdout: KeptOutput; stderr: KeptOutput } } {
    const [out, err] = this.streams;
    if (out instanceof HeadTailBuffer && err instanceof HeadTailBuffer) {
      const kept = { stdout: out.finish(), stderr: err.finish() };
      return { stdout: kept.stdout.bytes, stderr: kept.stderr.bytes, kept };
    }
    return { stdout: (out as CappedBuffer).finish(), stderr: (err as CappedBuffer).finish() };
  }
}

/** A script printed more than a script read whole may: the task fails, it is not cut. */
export class OutputTooLarge extends Error {}

/** An output kept as head and tail, for people: the gap is a line that says how many bytes it hides. */
export function withGap(kept: KeptOutput): string {
  if (kept.dropped === 0) return kept.bytes.toString();
  const head = kept.bytes.subarray(0, kept.tailStart).toString();
  const tail = kept.bytes.subarray(kept.tailStart).toString();
  return `${head}${head.endsWith('\n') ? '' : '\n'}… ${kept.dropped} bytes not shown …\n${tail}`;
}
