// Hosts reached by a command on this machine instead of SSH: this machine itself (no
// prefix, or `sudo -n`), a Docker or Podman container (`docker exec -i CONTAINER …`), or
// anything with a command prefix that runs a program inside it (`kubectl exec -i POD
// --`, `nsenter -t PID -a`, `chroot DIR`, `lxc exec NAME --`). Each script is one run of
// `PREFIX… timeout … /bin/sh -s TAG` with the script on stdin: the same batching and
// reports as over SSH.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import type { ShellText } from '../shell.ts';
import { InputError, throwIfAny } from '../errors.ts';
import type { Host } from '../inventory/index.ts';
import { RunOutput } from './bounded-output.ts';
import { CONTAINER_GRAMMAR, isContainerName } from './container-refs.ts';
import { interruptCommand, limitedShell, limitedShellWithInput, newStats, scriptTag, UnreachableError, type RunOptions, type RunResult, type Transport } from './types.ts';

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
    // This machine (no prefix) is always there; anything else is asked once.
    if (this.prefix.length === 0 || this.prefix[0] === 'sudo') return;
    const started = Date.now();
    const r = spawnSync(this.prefix[0]!, [...this.prefix.slice(1), '/bin/sh', '-c', 'true'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 30_000 });
    this.stats.connectMs = Date.now() - started;
    if (r.error) throw new UnreachableError(`${this.name}: cannot run ${this.prefix[0]}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
    if (r.status !== 0) throw new UnreachableError(`${this.name}: ${this.prefix.join(' ')} failed: ${r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`}`);
  }

  run(script: ShellText, options: RunOptions = {}): Promise<RunResult> {
    this.stats.roundTrips++;
    const tag = scriptTag();
    const input = options.input;
    const [command, ...argv] = [
      ...this.prefix,
      ...(input === undefined ? limitedShell(options.timeoutS ?? 0, tag).split(' ') : limitedShellWithInput(options.timeoutS ?? 0, script.text, tag)),
    ];
    return new Promise((resolve, reject) => {
      if (this.aborted) return reject(new Error('interrupted'));
      // Its own process group: a Ctrl-C at the terminal reaches tend, which decides
      // whether the script finishes (first Ctrl-C) or is interrupted (second).
      const child = spawn(command!, argv, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      this.running.set(tag, child);
      // Kept in bounded memory whatever the host prints (see bounded-output.ts).
      const output = new RunOutput(options.output);
      let tooLarge: Error | undefined;
      const stopIfTooLarge = (fits: boolean) => {
        if (fits || tooLarge) return;
        tooLarge = output.overflow(this.name);
        child.kill('SIGTERM');
      };
      child.stdout!.on('data', (d: Buffer) => {
        this.stats.bytesReceived += d.length;
        stopIfTooLarge(output.stdout(d));
      });
      child.stderr!.on('data', (d: Buffer) => {
        this.stats.bytesReceived += d.length;
        stopIfTooLarge(output.stderr(d));
      });
      // A script that ends (or is stopped) before reading all its stdin: the close says how it ended.
      child.stdin!.on('error', () => {});
      child.on('error', (e) => reject(new UnreachableError(`${this.name}: ${e.message}`)));
      child.on('close', (code, signal) => {
        this.running.delete(tag);
        if (this.aborted) return reject(new Error('interrupted'));
        if (tooLarge) return reject(tooLarge);
        resolve({ code: code ?? (signal ? 128 : 1), ...output.finish() });
      });
      if (input !== undefined) {
        // Streamed: backpressure keeps a file of any size to a few chunks in memory.
        const file = createReadStream(input);
        file.on('data', (chunk) => (this.stats.bytesSent += chunk.length));
        file.on('error', (e) => child.stdin!.destroy(e));
        file.pipe(child.stdin!);
        return;
      }
      this.stats.bytesSent += Buffer.byteLength(script.text);
      child.stdin!.end(script.text.endsWith('\n') ? script.text : `${script.text}\n`);
    });
  }

  abort(): void {
    this.aborted = true;
    if (this.running.size === 0) return;
    // Inside the host, as over SSH: SIGINT to each script's `timeout`, which passes it on.
    const [command, ...argv] = [...this.prefix, '/bin/sh', '-c', interruptCommand([...this.running.keys()])];
    spawnSync(command!, argv, { stdio: 'ignore', timeout: 5000 });
    for (const child of this.running.values()) child.kill('SIGINT');
  }

  async close(): Promise<void> {}
}

/** This machine: no prefix, or `sudo -n` to become root when we are not. */
export function localTransport(become: boolean): ExecTransport {
  return new ExecTransport('localhost', become && process.getuid?.() !== 0 ? ['sudo', '-n'] : []);
}

/**
 * The command prefix for a host's connection type, or undefined for ssh/local. `--`
 * ends the engine's options: the container is only ever a name to it.
 */
export function execPrefix(connection: string, target: string, exec?: readonly string[]): string[] | undefined {
  if (connection === 'docker' || connection === 'podman') return [connection, 'exec', '-i', '--', target];
  if (connection === 'exec') return exec ? [...exec] : undefined;
  return undefined;
}

/**
 * Container hosts whose address is not a container name in the engine's grammar
 * (`ansible_host: --privileged`): input errors at the host's place in the inventory,
 * before any host is contacted.
 */
export function checkContainerHosts(hosts: readonly Host[]): void {
  throwIfAny(
    hosts
      .filter((h) => (h.connection === 'docker' || h.connection === 'podman') && !isContainerName(h.address))
      .map((h) => new InputError(`host '${h.name}': ansible_host '${h.address}' is not a container name for ${h.connection}: ${CONTAINER_GRAMMAR}`, h.location)),
  );
}
