// `tend run`: one command on every selected host, in parallel; identical outputs are
// grouped so a fleet's answer reads in a few lines (the guide's `mailq`, `postsuper`).
import chalk from 'chalk';
import type { Host } from './inventory/index.ts';
import { forEachHost, type ConnectOptions } from './engine/connect.ts';
import { quote, ShellText } from './shell.ts';
import { withGap } from './transport/bounded-output.ts';
import { TIMED_OUT } from './transport/types.ts';
import { printable } from './report/printable.ts';

export interface AdhocResult {
  host: string;
  code: number | null;
  /** What is shown: the whole output, or its head and tail with a line that says how much is left out. */
  stdout: string;
  stderr: string;
  /** Bytes of each output left out between its head and tail (0 or absent: shown whole). */
  stdoutDropped?: number;
  stderrDropped?: number;
  /** SHA-256 of each whole output: hosts that printed the same bytes group, however many. */
  stdoutSha256?: string;
  stderrSha256?: string;
  error?: string;
  unreachable: boolean;
  /** Not run, or cut short, because the run was interrupted (Ctrl-C, SIGTERM, SIGHUP). */
  interrupted?: boolean;
  /** The command ran past --task-timeout and was ended on the host. */
  timedOutAfterS?: number;
}

// Commands that destroy data or stop hosts: asked about unless --yes.
const DESTRUCTIVE = [/\bpostsuper\s+-d\b/, /\brm\s/, /\breboot\b/, /\bshutdown\b/, /\bhalt\b/, /\bpoweroff\b/, /\bmkfs/, /\bdd\s/, /\buserdel\b/, /\bapt(-get)?\s+(remove|purge)\b/, /\bsystemctl\s+stop\b/, /\bkill(all)?\b/];

export function isDestructive(command: string): boolean {
  return DESTRUCTIVE.some((re) => re.test(command));
}

/** One argument is shell text as typed (`'postsuper -d ALL'`); several are words, each quoted. */
export function commandFromArgs(args: readonly string[]): ShellText {
  return new ShellText(args.length === 1 ? args[0]! : args.map(quote).join(' '));
}

export interface AdhocOptions extends ConnectOptions {
  become: boolean;
  /** Seconds the command may run on a host (0: no limit); the host's `timeout` ends it. */
  timeoutS: number;
}

export async function runAdhoc(hosts: readonly Host[], command: ShellText, options: AdhocOptions): Promise<AdhocResult[]> {
  // Head and tail only: a host that prints gigabytes costs the controller 128 KiB.
  const outcomes = await forEachHost(hosts, { ...options, become: () => options.become }, async (_host, transport) =>
    transport.run(command, { timeoutS: options.timeoutS, output: 'head-and-tail' }),
  );
  const none = { stdout: '', stderr: '' };
  return outcomes.map((o): AdhocResult => {
    if (!o.value) {
      const interrupted = o.error!.interrupted === true;
      return { host: o.host.name, code: null, ...none, error: o.error!.message, unreachable: o.error!.unreachable, ...(interrupted ? { interrupted } : {}) };
    }
    const { code, kept } = o.value;
    return {
      host: o.host.name,
      code,
      stdout: withGap(kept!.stdout),
      stderr: withGap(kept!.stderr),
      stdoutDropped: kept!.stdout.dropped,
      stderrDropped: kept!.stderr.dropped,
      stdoutSha256: kept!.stdout.sha256,
      stderrSha256: kept!.stderr.sha256,
      unreachable: false,
      ...(code === TIMED_OUT && options.timeoutS > 0 ? { timedOutAfterS: options.timeoutS } : {}),
    };
  });
}

/** Hosts with the same exit status and output are printed once, under all their names. */
export function renderAdhoc(results: readonly AdhocResult[]): string[] {
  const groups = new Map<string, { hosts: string[]; result: AdhocResult }>();
  for (const r of [...results].sort((a, b) => a.host.localeCompare(b.host, undefined, { numeric: true }))) {
    // The digests of the whole outputs, not what is shown: two hosts whose outputs
    // differ only in the bytes left out are two groups.
    const key = JSON.stringify([r.code, r.stdoutSha256 ?? r.stdout, r.stderrSha256 ?? r.stderr, r.error, r.interrupted, r.timedOutAfterS]);
    const g = groups.get(key) ?? { hosts: [], result: r };
    g.hosts.push(r.host);
    groups.set(key, g);
  }
  const out: string[] = [];
  for (const { hosts, result } of [...groups.values()].sort((a, b) => b.hosts.length - a.hosts.length)) {
    const status = result.interrupted
      ? chalk.yellow('interrupted')
      : result.error !== undefined
        ? chalk.red(result.unreachable ? 'unreachable' : 'failed')
        : result.timedOutAfterS !== undefined
          ? chalk.red(`timed out after ${result.timedOutAfterS} s`)
          : result.code === 0
            ? chalk.green('exit 0')
            : chalk.red(`exit ${result.code}`);
    out.push(`${chalk.bold(hosts.join(', '))} (${hosts.length} host${hosts.length === 1 ? '' : 's'}, ${status}):`);
    const body =
      result.error !== undefined
        ? printable(result.error)
        : `${printable(result.stdout)}${result.stderr ? chalk.yellow(printable(result.stderr)) : ''}` || chalk.dim('(no output)');
    for (const line of body.replace(/\n$/, '').split('\n')) out.push(`    ${line}`);
  }
  return out;
}
