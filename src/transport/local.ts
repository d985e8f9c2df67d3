// Runs scripts on this machine, for `localhost` (connection: local).
import { spawn } from 'node:child_process';
import type { ShellText } from '../shell.ts';
import { newStats, type RunResult, type Transport } from './types.ts';

export class LocalTransport implements Transport {
  readonly stats = newStats();
  constructor(private readonly become: boolean) {}

  async connect(): Promise<void> {}

  run(script: ShellText): Promise<RunResult> {
    this.stats.roundTrips++;
    const [cmd, ...args] = (this.become && process.getuid?.() !== 0 ? 'sudo -n /bin/sh -s' : '/bin/sh -s').split(' ');
    return new Promise((resolve, reject) => {
      const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        const stdout = Buffer.concat(out);
        const stderr = Buffer.concat(err);
        this.stats.bytesReceived += stdout.length + stderr.length;
        resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      });
      this.stats.bytesSent += Buffer.byteLength(script.text);
      child.stdin.end(script.text);
    });
  }

  async close(): Promise<void> {}
}
