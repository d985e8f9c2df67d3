// `tend run`: one command on every selected host, in parallel; identical outputs are
// grouped so a fleet's answer reads in a few lines (the guide's `mailq`, `postsuper`).
import chalk from 'chalk';
import type { Host } from './inventory/index.ts';
import { forEachHost, type ConnectOptions } from './engine/connect.ts';
import { quote, ShellText } from './shell.ts';
import { printable } from './report/printable.ts';

export interface AdhocResult {
  host: string;
  code: number | null;
  stdout: string;
  stderr: string;
  error?: string;
  unreachable: boolean;
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

export async function runAdhoc(hosts: readonly Host[], command: ShellText, options: ConnectOptions & { become: boolean }): Promise<AdhocResult[]> {
  const outcomes = await forEachHost(hosts, { ...options, become: () => options.become }, async (_host, transport) => transport.run(command));
  return outcomes.map((o) =>
    o.value
      ? { host: o.host.name, code: o.value.code, stdout: o.value.stdout.toString(), stderr: o.value.stderr.toString(), unreachable: false }
      : { host: o.host.name, code: null, stdout: '', stderr: '', error: o.error!.message, unreachable: o.error!.unreachable },
  );
}

/** Hosts with the same exit status and output are printed once, under all their names. */
export function renderAdhoc(results: readonly AdhocResult[]): string[] {
  const groups = new Map<string, { hosts: string[]; result: AdhocResult }>();
  for (const r of [...results].sort((a, b) => a.host.localeCompare(b.host, undefined, { numeric: true }))) {
    const key = JSON.stringify([r.code, r.stdout, r.stderr, r.error]);
    const g = groups.get(key) ?? { hosts: [], result: r };
    g.hosts.push(r.host);
    groups.set(key, g);
  }
  const out: string[] = [];
  for (const { hosts, result } of [...groups.values()].sort((a, b) => b.hosts.length - a.hosts.length)) {
    const status = result.error !== undefined ? chalk.red(result.unreachable ? 'unreachable' : 'failed') : result.code === 0 ? chalk.green('exit 0') : chalk.red(`exit ${result.code}`);
    out.push(`${chalk.bold(hosts.join(', '))} (${hosts.length} host${hosts.length === 1 ? '' : 's'}, ${status}):`);
    const body =
      result.error !== undefined
        ? printable(result.error)
        : `${printable(result.stdout)}${result.stderr ? chalk.yellow(printable(result.stderr)) : ''}` || chalk.dim('(no output)');
    for (const line of body.replace(/\n$/, '').split('\n')) out.push(`    ${line}`);
  }
  return out;
}
