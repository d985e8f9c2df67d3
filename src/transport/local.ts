// Runs scripts on this machine, for `localhost` (connection: local).
import { spawn, type ChildProcess } from 'node:child_process';
import type { ShellText } from '../shell.ts';
import { newStats, shellCommand, type RunOptions, type RunResult, type Transport } from './types.ts';

export class LocalTransport implements Transport {
  readonly stats = newStats();
  private readonly running = new Set<ChildProcess>();
  private aborted = false;

  constructor(private readonly become: boolean) {}

  async connect(): Promise<void> {}

  run(script: ShellText, options: RunOptions = {}): Promise<RunResult> {
    this.stats.roundTrips++;
    const user = process.getuid?.() === 0 ? 'root' : 'self';
    const [cmd, ...args] = shellCommand(user, this.become, options.timeoutS ?? 0).split(' ');
    return new Promise((resolve, reject) => {
      if (this.aborted) return reject(new Error('interrupted'));
      // Its own process group: a Ctrl-C at the terminal reaches tend, which decides
      // whether the script finishes (first Ctrl-C) or is interrupted (second).
      const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      this.running.add(child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout!.on('data', (d: Buffer) => out.push(d));
      child.stderr!.on('data', (d: Buffer) => err.push(d));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        this.running.delete(child);
        const stdout = Buffer.concat(out);
        const stderr = Buffer.concat(err);
        this.stats.bytesReceived += stdout.length + stderr.length;
        if (this.aborted) return reject(new Error('interrupted'));
        resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      });
      this.stats.bytesSent += Buffer.byteLength(script.text);
      child.stdin!.end(script.text);
    });
  }

  abort(): void {
    this.aborted = true;
    for (const child of this.running) {
      try {
        process.kill(-child.pid!, 'SIGINT');
      } catch {
        // Already gone.
      }
    }
  }

  async close(): Promise<void> {}
}
