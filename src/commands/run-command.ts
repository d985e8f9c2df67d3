// tend run: one command on every selected host, in parallel; identical outputs grouped.
// Ctrl-C (SIGTERM, SIGHUP) once: no new host is contacted, running commands finish;
// twice: they are interrupted on their hosts. What came back is printed, then the exit
// status is the signal's (130 for Ctrl-C).
import { createInterface } from 'node:readline/promises';
import { commandFromArgs, isDestructive, renderAdhoc, runAdhoc } from '../adhoc.ts';
import { RunControl } from '../engine/control.ts';
import { InputError } from '../errors.ts';
import { loadInventory, selectHosts } from '../inventory/index.ts';
import { prepareHosts } from './connect-options.ts';
import { onStopSignals } from './stop-signals.ts';
import { becomePassword, knownHostsFiles, positiveInt, useColour, type RunFlags } from './options.ts';

export type AdhocFlags = RunFlags & { listHosts?: boolean; yes?: boolean; become?: boolean; taskTimeout?: string };

/** Runs the command; returns the exit status. */
export async function runCommand(words: string[], flags: AdhocFlags): Promise<number> {
  useColour(flags);
  // Listing needs no key: none is opened.
  const { hosts, keys } = await prepareHosts(selectHosts(loadInventory(flags.inventory), flags.limit), flags, { keys: !flags.listHosts });
  if (flags.listHosts) {
    console.log(`${hosts.length} host(s):`);
    for (const h of hosts) console.log(`  ${h.name}  ${h.user}@${h.address}:${h.port}${h.unreachable ? `  (cannot be contacted: ${h.unreachable})` : ''}`);
    return 0;
  }
  const command = commandFromArgs(words);
  if (isDestructive(command.text) && !flags.yes && !(await confirm(`Run '${command.text}' on ${hosts.length} host(s)? [y/N] `))) {
    throw new InputError(`'${command.text}' looks destructive: refusing without --yes (or a 'y' on a terminal)`);
  }
  const taskTimeout = flags.taskTimeout ?? '3600';
  const options = {
    forks: positiveInt(flags.forks, '--forks'),
    knownHostsFiles: knownHostsFiles(flags),
    acceptNewHostKeys: flags.acceptNewHostKeys === true,
    connectTimeoutMs: positiveInt(flags.timeout, '--timeout') * 1000,
    timeoutS: taskTimeout === '0' ? 0 : positiveInt(taskTimeout, '--task-timeout'),
    become: flags.become === true,
    becomePassword: await becomePassword(flags),
    keys,
  };
  const control = new RunControl();
  const signals = onStopSignals((signal) => {
    const step = control.interrupt();
    process.stderr.write(
      step === 'stop'
        ? `\ntend: ${signal}: no new host is contacted; running commands finish (again to interrupt them now)\n`
        : `\ntend: ${signal} again: interrupting the running commands\n`,
    );
  });
  let results;
  try {
    results = await runAdhoc(hosts, command, { ...options, control });
  } finally {
    signals.dispose();
  }
  console.log(renderAdhoc(results).join('\n'));
  if (signals.status !== undefined) return signals.status;
  let code = 0;
  if (results.some((r) => r.unreachable)) code |= 4;
  if (results.some((r) => (r.code !== null && r.code !== 0) || (r.error !== undefined && !r.unreachable))) code |= 1;
  return code;
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}
