// How the engine reaches a host: run a shell script there, get its exit code and output.
import type { ShellText } from '../shell.ts';

export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
}

export interface TransportStats {
  /** Remote command executions (each is one request/response over the connection). */
  roundTrips: number;
  bytesSent: number;
  bytesReceived: number;
  connectMs: number;
}

export interface Transport {
  connect(): Promise<void>;
  /** Runs `script` with /bin/sh on the host (as root when `become`). */
  run(script: ShellText): Promise<RunResult>;
  close(): Promise<void>;
  readonly stats: TransportStats;
}

/** The host could not be reached or refused us: it is reported unreachable. */
export class UnreachableError extends Error {}

/** The host's key is unknown or differs from known_hosts: nothing runs there. */
export class HostKeyError extends UnreachableError {}

export function newStats(): TransportStats {
  return { roundTrips: 0, bytesSent: 0, bytesReceived: 0, connectMs: 0 };
}

/** The command that reads a script on stdin: sudo only when we are not root already. */
export function shellCommand(user: string, become: boolean): string {
  return become && user !== 'root' ? 'sudo -n /bin/sh -s' : '/bin/sh -s';
}
