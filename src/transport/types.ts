// How the engine reaches a host: run a shell script there, get its exit code and output.
import { randomBytes } from 'node:crypto';
import type { ShellText } from '../shell.ts';
import type { KeptOutput, OutputMode } from './bounded-output.ts';

export interface RunResult {
  code: number;
  /** All of it (`output: 'whole'`), or its head and tail (`'head-and-tail'`: see `kept`). */
  stdout: Buffer;
  stderr: Buffer;
  /** With `output: 'head-and-tail'`: how much each printed, how much was left out, digests of the whole. */
  kept?: { stdout: KeptOutput; stderr: KeptOutput };
}

export interface TransportStats {
  /** Remote command executions (each is one request/response over the connection). */
  roundTrips: number;
  bytesSent: number;
  bytesReceived: number;
  connectMs: number;
  /** With --stats: host CPU (ms) of every script's probes and commands, from the shell's `times`. */
  remoteCpuMs?: number;
}

export interface RunOptions {
  /**
   * Seconds the script may run; 0 for no limit. The host's own `timeout` (coreutils)
   * ends the script's whole process group, and the script exits 124.
   */
  timeoutS?: number;
  /** A file of this machine streamed as the script's stdin (the script then travels as `sh -c`). */
  input?: string;
  /**
   * `whole` (the default): every byte, for scripts that are parsed (probes, a task's
   * commands); past WHOLE_OUTPUT_CAP the script is stopped and `run` rejects with
   * OutputTooLarge. `head-and-tail`: for output shown to people; bounded, never fails.
   */
  output?: OutputMode;
}

export interface Transport {
  connect(): Promise<void>;
  /** Runs `script` with /bin/sh on the host (as root when `become`). */
  run(script: ShellText, options?: RunOptions): Promise<RunResult>;
  /**
   * Stops at once: running scripts get SIGINT (their traps remove what they staged)
   * and the connection is closed. Their `run` calls reject.
   */
  abort(): void;
  close(): Promise<void>;
  readonly stats: TransportStats;
}

/** The exit status of a script that the host's `timeout` ended. */
export const TIMED_OUT = 124;

/** How long the controller waits past a script's own timeout before it gives up on the host. */
export const TIMEOUT_GRACE_S = 30;

/** The host could not be reached or refused us: it is reported unreachable. */
export class UnreachableError extends Error {}

/** The host's key is unknown or differs from known_hosts: nothing runs there. */
export class HostKeyError extends UnreachableError {}

export function newStats(): TransportStats {
  return { roundTrips: 0, bytesSent: 0, bytesReceived: 0, connectMs: 0 };
}

/**
 * /bin/sh reading a script on stdin, under coreutils' `timeout` so a signal or the time
 * limit reaches every process the script started (`timeout 0` is no limit), tagged (its
 * $1) to be found by. Seconds are a whole number we chose, never text from a playbook.
 */
export function limitedShell(timeoutS: number, tag?: string): string {
  return `timeout -k 10 ${Math.max(0, Math.floor(timeoutS))} /bin/sh -s${tag ? ` ${tag}` : ''}`;
}

/** The same for a script given on the command line (its stdin is data): `sh -c SCRIPT TAG`. */
export function limitedShellWithInput(timeoutS: number, script: string, tag: string): string[] {
  return ['timeout', '-k', '10', String(Math.max(0, Math.floor(timeoutS))), '/bin/sh', '-c', script, tag];
}

/** A fresh tag for a script: `tend-` and 16 random hex digits. */
export function scriptTag(): string {
  return `tend-${randomBytes(8).toString('hex')}`;
}

/**
 * The command that interrupts running scripts by their tags (`tend-` and hex, the
 * shell's $1): SIGINT to their `timeout`, which passes it to every process of the
 * script. The bracket keeps this command's own command line from matching its pattern.
 */
export function interruptCommand(tags: readonly string[]): string {
  return tags.map((tag) => `pkill -INT -f '^timeout -k 10 [0-9]+ /bin/sh -s [${tag[0]}]${tag.slice(1)}$'`).join('; ');
}
