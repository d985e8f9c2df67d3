// Hosts reached by a command on this machine instead of SSH: a Docker or Podman
// container (`docker exec -i CONTAINER …`), or anything with a command prefix that runs
// a program inside it (`kubectl exec -i POD --`, `nsenter -t PID -a`, `chroot DIR`,
// `lxc exec NAME --`). Each script is one run of `PREFIX… timeout … /bin/sh -s TAG`
// with the script on stdin: the same batching and reports as over SSH.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { ShellText } from '../shell.ts';
import { interruptCommand, limitedShell, newStats, UnreachableError, type RunOptions, type RunResult, type Transport } from './types.ts';

export class ExecTransport implements Transport {
  readonly stats = newStats();
  private readonly running = new Map<string, ChildProcess>();
  private aborted = false;

  /** `prefix`: the command that runs a program inside the host (its argv, then ours). */
  constructor(
    private readonly name: string,
    private readonly prefix: readonly string[],
  ) {}

  async connect(): Promise<void> {
    const started = Date.now();
    const r = spawnSync(this.prefix[0]!, [...this.prefix.slice(1), '/bin/sh', '-c', 'true'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 30_000 });
    this.stats.connectMs = Date.now() - started;
    if (r.error) throw new UnreachableError(`${this.name}: cannot run ${this.prefix[0]}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
    if (r.status !== 0) throw new UnreachableError(`${this.name}: ${this.prefix.join(' ')} failed: ${r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`}`);
  }

  run(script: ShellText, options: RunOptions = {}): Promise<RunResult> {
    this.stats.roundTrips++;
    const tag = `tend-${Math.random().toString(16).slice(2, 18)}`;
    const argv = [...this.prefix.slice(1), ...limitedShell(options.timeoutS ?? 0, tag).split(' ')];
    return new Promise((resolve, reject) => {
      if (this.aborted) return reject(new Error('interrupted'));
      const child = spawn(this.prefix[0]!, argv, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      this.running.set(tag, child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout!.on('data', (d: Buffer) => out.push(d));
      child.stderr!.on('data', (d: Buffer) => err.push(d));
      child.on('error', (e) => reject(new UnreachableError(`${this.name}: ${e.message}`)));
      child.on('close', (code, signal) => {
        this.running.delete(tag);
        const stdout = Buffer.concat(out);
        const stderr = Buffer.concat(err);
        this.stats.bytesReceived += stdout.length + stderr.length;
        if (this.aborted) return reject(new Error('interrupted'));
        resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      });
      this.stats.bytesSent += Buffer.byteLength(script.text);
      child.stdin!.end(script.text.endsWith('\n') ? script.text : `${script.text}\n`);
    });
  }

  abort(): void {
    this.aborted = true;
    if (this.running.size === 0) return;
    // Inside the host, as over SSH: SIGINT to each script's `timeout`, which passes it on.
    spawnSync(this.prefix[0]!, [...this.prefix.slice(1), '/bin/sh', '-c', interruptCommand([...this.running.keys()])], { stdio: 'ignore', timeout: 5000 });
    for (const child of this.running.values()) child.kill('SIGINT');
  }

  async close(): Promise<void> {}
}

/** The command prefix for a host's connection type, or undefined for ssh/local. */
export function execPrefix(connection: string, target: string, exec?: readonly string[]): string[] | undefined {
  if (connection === 'docker' || connection === 'podman') return [connection, 'exec', '-i', target];
  if (connection === 'exec') return exec ? [...exec] : undefined;
  return undefined;
}
