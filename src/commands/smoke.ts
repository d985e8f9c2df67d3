// tend smoke PLAYBOOK: the CI smoke deploy in one command — Molecule's cycle without
// Molecule. Throwaway containers are started from an image (Docker or Podman), then, on
// each: apply (converge), apply again (nothing may change: idempotence), check (nothing
// may have drifted), verify (the plays' `verify:` commands and --verify, each must exit
// 0). The containers are always removed — on failure, on Ctrl-C, SIGTERM and SIGHUP, and
// when the reader of the output goes away (`| head -1`) — unless --keep.
//
// Exit status: the run bitmask (1 a step failed, 4 a container could not be started or
// reached, 8 bad input) plus 16 when the second apply changed something or check found
// drift: the playbook is not idempotent. Stopped by a signal: 130 (INT), 143 (TERM), 129
// (HUP), once the containers are gone.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import chalk from 'chalk';
import { RunControl } from '../engine/control.ts';
import { forEachHost } from '../engine/connect.ts';
import { isChange, type RunResult } from '../engine/results.ts';
import { newRunMagic } from '../engine/magic-vars.ts';
import { runFleet, type RunEvents } from '../engine/run.ts';
import { InputError, throwIfAny } from '../errors.ts';
import { InventoryData } from '../inventory/data.ts';
import { buildInventory, type Host } from '../inventory/model.ts';
import type { Play } from '../playbook/plays.ts';
import { readPlaybook } from './read-playbook.ts';
import { undefinedVariableErrors } from '../playbook/variables.ts';
import { junitXml } from '../report/junit.ts';
import { printable } from '../report/printable.ts';
import { sh } from '../shell.ts';
import { IMAGE_GRAMMAR, isImageReference } from '../transport/container-refs.ts';
import { knownVariables, parseExtraVars, positiveInt, refuseConnectionExtraVars, useColour } from './options.ts';
import { writeReportFile } from './playbook.ts';
import { onStopSignals } from './stop-signals.ts';

export const NOT_IDEMPOTENT = 16;

export interface SmokeFlags {
  image: string;
  hosts: string;
  engine?: string;
  network?: string;
  verify: string[];
  keep?: boolean;
  json?: string;
  junit?: string;
  extraVars: string[];
  taskTimeout: string;
  color: boolean;
}

type StepName = 'converge' | 'idempotence' | 'check' | 'verify';
interface Step {
  name: StepName;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  detail?: string;
}
interface HostSteps {
  host: string;
  container: string;
  steps: Step[];
}

/** Which engine answers: the one asked for, else Docker, else Podman. */
function pickEngine(asked?: string): string {
  const candidates = asked ? [asked] : ['docker', 'podman'];
  for (const engine of candidates) {
    // `version` answers in both: podman's `info` has no .ServerVersion, and refused it.
    const r = spawnSync(engine, ['version', '--format', '{{.Server.Version}}'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 20_000 });
    if (!r.error && r.status === 0) return engine;
  }
  throw new InputError(asked ? `--engine ${asked}: it does not answer (is its daemon running?)` : 'neither docker nor podman answers: install one, or start its daemon');
}

/**
 * Starts one container per host, each named before it is asked for (`started`), so that
 * one whose `run` failed after the engine created it is removed with the others. Stops
 * at the first failure, or when the run is being stopped; returns which host failed, and why.
 */
function startContainers(engine: string, hosts: readonly Host[], flags: SmokeFlags, started: string[], stopping: () => boolean): { host: string; why: string } | undefined {
  for (const h of hosts) {
    if (stopping()) return undefined;
    const args = ['run', '-d', '--name', h.address, '--hostname', h.name, ...(flags.network ? ['--network', flags.network] : []), '--', flags.image, 'sleep', 'infinity'];
    started.push(h.address);
    const r = spawnSync(engine, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) {
      // The engine's own complaint, not its closing "Run 'docker run --help' …" line.
      const said = r.stderr.split('\n').filter((l) => l.trim() !== '' && !/--help' for more information/.test(l));
      const why = r.error ? r.error.message : (said.pop()?.trim() ?? `exit ${r.status}`);
      return { host: h.name, why: `${engine} run ${flags.image} failed: ${why}` };
    }
  }
  return undefined;
}

export async function runSmoke(playbookFile: string, flags: SmokeFlags): Promise<number> {
  useColour(flags);
  const playbook = readPlaybook(playbookFile);
  const extraVars = parseExtraVars(flags.extraVars);
  refuseConnectionExtraVars(extraVars);
  const count = positiveInt(flags.hosts, '--hosts');
  const taskTimeoutS = flags.taskTimeout === '0' ? 0 : positiveInt(flags.taskTimeout, '--task-timeout');
  // The image reaches the engine after `--` too; checked here so that a mistake is bad
  // input with its place, not an engine error (or an option: `--image=--volume=/:/host`).
  if (!isImageReference(flags.image)) throw new InputError(`--image '${flags.image}': not an image reference: ${IMAGE_GRAMMAR}`);
  const engine = pickEngine(flags.engine);

  const run = `tend-smoke-${randomBytes(3).toString('hex')}`;
  const data = new InventoryData('(smoke containers)');
  for (let i = 1; i <= count; i++) {
    const host = data.addHost(`${run}-${i}`, 'ungrouped');
    host.vars.ansible_connection = engine;
  }
  const inventory = buildInventory(data);
  const hosts = [...inventory.hosts.values()];
  throwIfAny(undefinedVariableErrors(playbook, knownVariables(hosts, extraVars)));
  const work = new Map<Host, Play[]>(hosts.map((h) => [h, playbook.plays]));

  const say = (line: string) => process.stdout.write(`${line}\n`);
  const control = new RunControl();
  // Every way of being stopped comes here; the containers go in the finally below.
  const signals = onStopSignals((signal) => {
    const step = control.interrupt();
    process.stderr.write(`\ntend: ${signal}${step === 'stop' ? ': stopping; the containers will be removed' : ' again: interrupting the running scripts'}\n`);
  });
  const interrupted = () => signals.first !== undefined;
  /** Containers asked for: a failed `run` may have created its container all the same. */
  const started: string[] = [];
  const results: HostSteps[] = hosts.map((h) => ({ host: h.name, container: h.address, steps: [] }));
  let code = 0;
  const options = { forks: count, knownHostsFiles: [], acceptNewHostKeys: false, connectTimeoutMs: 30_000, extraVars, taskTimeoutS, control };
  const quiet: RunEvents = { hostStarted() {}, taskStarted() {}, taskDone() {}, hostDone() {} };
  /** The hosts every step so far passed on: the next step runs on them only. */
  const passing = () => hosts.filter((h) => results.find((r) => r.host === h.name)!.steps.every((st) => st.status === 'passed'));
  /**
   * Records a step on every host: skipped where an earlier one did not pass, else
   * passed or failed with why (and the exit bit that failure sets).
   */
  const record = (name: StepName, begin: number, ran: readonly Host[], outcome: (host: string) => { failure?: string; bit: number }) => {
    for (const entry of results) {
      if (!ran.some((h) => h.name === entry.host)) {
        entry.steps.push({ name, status: 'skipped', durationMs: 0 });
        continue;
      }
      const { failure, bit } = outcome(entry.host);
      entry.steps.push({ name, status: failure ? 'failed' : 'passed', durationMs: Date.now() - begin, ...(failure ? { detail: failure } : {}) });
      if (failure) code |= bit;
    }
  };
  const step = async (name: StepName, check: boolean, judge: (r: RunResult, host: string) => string | undefined) => {
    const begin = Date.now();
    const ran = passing();
    const playHosts = new Map(playbook.plays.map((p) => [p, ran.map((h) => h.name)]));
    const magic = newRunMagic({ inventory, playbookFile, check, forks: count, runTags: [], skipTags: [], extraVars, playHosts });
    const runResult = await runFleet(new Map(ran.map((h) => [h, work.get(h)!])), { ...options, check, magic }, quiet);
    record(name, begin, ran, (host) => {
      const h = runResult.hosts.find((x) => x.host === host)!;
      if (h.status === 'failed' || h.status === 'unreachable' || h.status === 'interrupted') {
        const why = `${h.status}: ${h.tasks.find((t) => t.status === 'failed')?.error ?? h.error ?? ''}`.trim();
        return { failure: why, bit: h.status === 'unreachable' ? 4 : 1 };
      }
      return { failure: judge(runResult, host), bit: NOT_IDEMPOTENT };
    });
  };
  const changedTasks = (r: RunResult, host: string) => {
    const changed = r.hosts.find((x) => x.host === host)!.tasks.filter((t) => isChange(t.status));
    return changed.length > 0 ? `changed again: ${changed.map((t) => `[${t.number}] ${t.name}`).join(', ')}` : undefined;
  };
  const verify = async () => {
    const commands = [...playbook.plays.flatMap((p) => p.verify), ...flags.verify];
    const begin = Date.now();
    const ran = passing();
    const outcomes = await forEachHost(ran, { ...options, become: () => false }, async (_h, transport) => {
      for (const command of commands) {
        // Shown to people only: its head and tail, whatever the command prints.
        const r = await transport.run(sh`sh -c ${command}`, { timeoutS: taskTimeoutS, output: 'head-and-tail' });
        if (r.code !== 0) return `'${command}' exited ${r.code}: ${`${r.stderr}${r.stdout}`.trim().split('\n').slice(-5).join(' / ')}`;
      }
      return undefined;
    });
    record('verify', begin, ran, (host) => {
      const o = outcomes.find((x) => x.host.name === host)!;
      return { failure: o.error?.message ?? o.value, bit: 1 };
    });
  };

  try {
    // Containers: one `run` each, kept alive by a process that does nothing. One that
    // cannot be started is the engine's failure (exit 4), not bad input.
    const notStarted = startContainers(engine, hosts, flags, started, interrupted);
    if (notStarted) {
      process.stderr.write(`tend: ${printable(notStarted.why)}\n`);
      code |= 4;
      for (const entry of results) {
        const failed = entry.host === notStarted.host;
        entry.steps.push({ name: 'converge', status: failed ? 'failed' : 'skipped', durationMs: 0, ...(failed ? { detail: notStarted.why } : {}) });
      }
    } else if (!interrupted()) {
      say(`${engine}: ${count} container(s) from ${flags.image}: ${started.join(', ')}`);
      await step('converge', false, () => undefined);
      if (!interrupted()) await step('idempotence', false, changedTasks);
      if (!interrupted()) await step('check', true, changedTasks);
      if (!interrupted()) await verify();
    }
  } finally {
    // Still listening for signals: a second one cannot cut the removal short.
    if (flags.keep) {
      if (started.length > 0) say(`kept: ${started.join(', ')} — enter one with: ${engine} exec -it ${started[0]} bash; remove with: ${engine} rm -f ${started.join(' ')}`);
    } else if (started.length > 0) {
      spawnSync(engine, ['rm', '-f', '--', ...started], { stdio: 'ignore' });
      say(`removed ${started.length} container(s)`);
    }
    signals.dispose();
  }

  for (const entry of results) {
    say(chalk.bold(`${entry.host} (${entry.container})`));
    for (const s of entry.steps) {
      const mark = s.status === 'passed' ? chalk.green('passed') : s.status === 'failed' ? chalk.red('FAILED') : chalk.dim('skipped');
      say(`  ${s.name.padEnd(12)} ${mark}  ${(s.durationMs / 1000).toFixed(1)}s${s.detail ? `  ${printable(s.detail)}` : ''}`);
    }
  }
  if (signals.status !== undefined) code = signals.status;
  if (flags.json !== undefined) writeReportFile(flags.json, `${JSON.stringify({ playbook: playbookFile, image: flags.image, engine, exitCode: code, hosts: results }, null, 2)}\n`);
  if (flags.junit !== undefined) writeReportFile(flags.junit, junitXml(playbookFile, results));
  return code;
}
