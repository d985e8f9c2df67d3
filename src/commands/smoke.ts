// tend smoke PLAYBOOK: the CI smoke deploy in one command — Molecule's cycle without
// Molecule. Throwaway containers are started from an image (Docker or Podman), then, on
// each: apply (converge), apply again (nothing may change: idempotence), check (nothing
// may have drifted), verify (the plays' `verify:` commands and --verify, each must exit
// 0). The containers are always removed — on failure and on Ctrl-C too — unless --keep.
//
// Exit status: the run bitmask (1 a step failed, 4 a container could not be started or
// reached, 8 bad input) plus 16 when the second apply changed something or check found
// drift: the playbook is not idempotent.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import chalk from 'chalk';
import { modules } from '../../tasks/index.ts';
import { RunControl } from '../engine/control.ts';
import { forEachHost } from '../engine/connect.ts';
import { isChange, type RunResult } from '../engine/results.ts';
import { runFleet, type RunEvents } from '../engine/run.ts';
import { InputError, throwIfAny } from '../errors.ts';
import { InventoryData } from '../inventory/data.ts';
import { buildInventory, type Host } from '../inventory/model.ts';
import { loadPlaybook, type Play } from '../playbook/load.ts';
import { undefinedVariableErrors } from '../playbook/variables.ts';
import { junitXml } from '../report/junit.ts';
import { sh } from '../shell.ts';
import { knownVariables, parseExtraVars, positiveInt, refuseConnectionExtraVars, useColour } from './options.ts';
import { writeReportFile } from './playbook.ts';

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
    const r = spawnSync(engine, ['info', '--format', '{{.ServerVersion}}'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 20_000 });
    if (!r.error && r.status === 0) return engine;
  }
  throw new InputError(asked ? `--engine ${asked}: it does not answer (is its daemon running?)` : 'neither docker nor podman answers: install one, or start its daemon');
}

export async function runSmoke(playbookFile: string, flags: SmokeFlags): Promise<number> {
  useColour(flags);
  const playbook = loadPlaybook(playbookFile, modules);
  const extraVars = parseExtraVars(flags.extraVars);
  refuseConnectionExtraVars(extraVars);
  const count = positiveInt(flags.hosts, '--hosts');
  const taskTimeoutS = flags.taskTimeout === '0' ? 0 : positiveInt(flags.taskTimeout, '--task-timeout');
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
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    control.interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started: string[] = [];
  const results: HostSteps[] = hosts.map((h) => ({ host: h.name, container: h.address, steps: [] }));
  let code = 0;
  try {
    // Containers: one `run` each, kept alive by a process that does nothing.
    for (const h of hosts) {
      const args = ['run', '-d', '--name', h.address, '--hostname', h.name, ...(flags.network ? ['--network', flags.network] : []), flags.image, 'sleep', 'infinity'];
      const r = spawnSync(engine, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      if (r.status !== 0) throw new InputError(`${engine} run ${flags.image}: ${r.stderr.trim().split('\n').pop()}`);
      started.push(h.address);
    }
    say(`${engine}: ${count} container(s) from ${flags.image}: ${started.join(', ')}`);

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
      const runResult = await runFleet(new Map(ran.map((h) => [h, work.get(h)!])), { ...options, check }, quiet);
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
    await step('converge', false, () => undefined);
    if (!interrupted) await step('idempotence', false, changedTasks);
    if (!interrupted) await step('check', true, changedTasks);
    if (!interrupted) {
      const commands = [...playbook.plays.flatMap((p) => p.verify), ...flags.verify];
      const begin = Date.now();
      const ran = passing();
      const outcomes = await forEachHost(ran, { ...options, become: () => false }, async (_h, transport) => {
        for (const command of commands) {
          const r = await transport.run(sh`sh -c ${command}`, { timeoutS: taskTimeoutS });
          if (r.code !== 0) return `'${command}' exited ${r.code}: ${`${r.stderr}${r.stdout}`.trim().split('\n').slice(-5).join(' / ')}`;
        }
        return undefined;
      });
      record('verify', begin, ran, (host) => {
        const o = outcomes.find((x) => x.host.name === host)!;
        return { failure: o.error?.message ?? o.value, bit: 1 };
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (flags.keep) {
      if (started.length > 0) say(`kept: ${started.join(', ')} — enter one with: ${engine} exec -it ${started[0]} bash; remove with: ${engine} rm -f ${started.join(' ')}`);
    } else if (started.length > 0) {
      spawnSync(engine, ['rm', '-f', ...started], { stdio: 'ignore' });
      say(`removed ${started.length} container(s)`);
    }
  }

  for (const entry of results) {
    say(chalk.bold(`${entry.host} (${entry.container})`));
    for (const s of entry.steps) {
      const mark = s.status === 'passed' ? chalk.green('passed') : s.status === 'failed' ? chalk.red('FAILED') : chalk.dim('skipped');
      say(`  ${s.name.padEnd(12)} ${mark}  ${(s.durationMs / 1000).toFixed(1)}s${s.detail ? `  ${s.detail}` : ''}`);
    }
  }
  if (interrupted) code = 130;
  if (flags.json !== undefined) writeReportFile(flags.json, `${JSON.stringify({ playbook: playbookFile, image: flags.image, engine, exitCode: code, hosts: results }, null, 2)}\n`);
  if (flags.junit !== undefined) writeReportFile(flags.junit, junitXml(playbookFile, results));
  return code;
}
