// tend apply / tend check: validate everything, run the playbook over the fleet, report.
// Ctrl-C (or SIGTERM) once: no new task starts, running scripts finish their task, the
// recap and the JSON report are written with the hosts marked interrupted, exit 130.
// Twice: running scripts are interrupted at once (their traps remove what they staged).
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import chalk from 'chalk';
import { RunControl } from '../engine/control.ts';
import { exitCode } from '../engine/results.ts';
import { runRollout, usesRollout } from '../engine/rollout.ts';
import { newRunMagic } from '../engine/magic-vars.ts';
import { runFleet, type RunEvents, type RunOptions } from '../engine/run.ts';
import { inShard, parseShard } from '../engine/shard.ts';
import { InputError, throwIfAny } from '../errors.ts';
import { loadInventory, selectHosts, type Host } from '../inventory/index.ts';
import type { Play } from '../playbook/plays.ts';
import { readPlaybook } from './read-playbook.ts';
import { selectTags, selectTasks, tagList } from '../playbook/tags.ts';
import { undefinedVariableErrors } from '../playbook/variables.ts';
import type { ReportDocument } from '../report/html.ts';
import { jsonReport } from '../report/json.ts';
import { liveReporter } from '../report/live.ts';
import { plainReporter } from '../report/plain.ts';
import { renderChanges, renderRecap, renderStats } from '../report/recap.ts';
import { prepareHosts } from './connect-options.ts';
import { becomePassword, knownHostsFiles, knownVariables, parseExtraVars, positiveInt, useColour, type RunFlags } from './options.ts';

export interface PlaybookFlags extends RunFlags {
  shard?: string;
  tags: string[];
  skipTags: string[];
  html?: string;
  detailedExitcode?: boolean;
  taskTimeout: string;
}

/** Runs a playbook; returns the exit status. */
export async function runPlaybook(playbookFile: string, flags: PlaybookFlags, check: boolean): Promise<number> {
  useColour(flags);
  // Everything is read and validated before any host is contacted.
  const inventory = loadInventory(flags.inventory);
  const playbook = selectTags(readPlaybook(playbookFile), { tags: tagList(flags.tags), skipTags: tagList(flags.skipTags) });
  const extraVars = parseExtraVars(flags.extraVars);
  refusePlaybookVarsDirs(playbookFile, flags.inventory);
  const forks = positiveInt(flags.forks, '--forks');
  const timeout = positiveInt(flags.timeout, '--timeout');
  const taskTimeoutS = flags.taskTimeout === '0' ? 0 : positiveInt(flags.taskTimeout, '--task-timeout');
  const shard = parseShard(flags.shard);
  const password = await becomePassword(flags);
  const selected = new Map<Host, Play[]>();
  for (const play of playbook.plays) {
    for (const host of inShard(selectHosts(inventory, flags.limit, play.hosts), shard)) {
      selected.set(host, [...(selected.get(host) ?? []), play]);
    }
  }
  throwIfAny(undefinedVariableErrors(playbook, knownVariables([...selected.keys()], extraVars)));
  const { hosts, keys } = await prepareHosts([...selected.keys()], flags);
  const plays = [...selected.values()];
  const work = new Map<Host, Play[]>(hosts.map((host, i) => [host, plays[i]!]));
  if (work.size === 0 && flags.limit !== undefined && !shard) {
    // A --limit that selects nothing is a mistake to report, not a run that passes.
    throw new InputError(`--limit ${flags.limit} matches none of the plays' hosts in ${flags.inventory}`);
  }
  if (work.size === 0 && shard) {
    console.error(`tend: shard ${shard.index}/${shard.total} holds none of the selected hosts`);
    return 0;
  }
  if (work.size === 0) {
    console.error(`tend: no host of ${flags.inventory} matches the plays' hosts${flags.limit ? ` and --limit ${flags.limit}` : ''}`);
    return 0;
  }

  // With --json -, stdout carries the report alone; people read stderr.
  const human = flags.json === '-' ? process.stderr : process.stdout;
  const say = (line: string) => human.write(`${line}\n`);
  // A terminal without a size (some CI pseudo-terminals) cannot host a live view.
  const interactive = human.isTTY === true && !process.env.CI && (human as NodeJS.WriteStream).columns > 0;
  let events: RunEvents;
  let finished: Promise<unknown> = Promise.resolve();
  let closeLive = () => {};
  if (interactive) {
    const live = liveReporter([...work.keys()].map((h) => h.name), check, forks);
    events = live.events;
    finished = live.finished;
    closeLive = live.close;
  } else {
    events = plainReporter(check, say);
  }

  const control = new RunControl();
  const onSignal = (signal: NodeJS.Signals) => {
    const step = control.interrupt();
    process.stderr.write(
      step === 'stop'
        ? `\ntend: ${signal}: no new task starts; running tasks finish (again to interrupt them now)\n`
        : `\ntend: ${signal} again: interrupting the running scripts\n`,
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const startedAt = new Date();
  const options: RunOptions = {
    check,
    forks,
    extraVars,
    taskTimeoutS,
    control,
    knownHostsFiles: knownHostsFiles(flags),
    becomePassword: password,
    keys,
    acceptNewHostKeys: flags.acceptNewHostKeys === true,
    connectTimeoutMs: timeout * 1000,
    measure: flags.stats === true,
    selectTasks: (specs) => selectTasks(specs, { tags: tagList(flags.tags), skipTags: tagList(flags.skipTags) }),
    magic: newRunMagic({
      inventory,
      playbookFile,
      check,
      forks,
      ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
      runTags: tagList(flags.tags),
      skipTags: tagList(flags.skipTags),
      extraVars,
      playHosts: new Map(playbook.plays.map((play) => [play, [...work].filter(([, plays]) => plays.includes(play)).map(([host]) => host.name)])),
    }),
  };
  let result;
  try {
    // Waves (serial:) run the plays one after another over the fleet; without them each
    // host runs all its plays on one connection, at its own pace.
    result = usesRollout(playbook.plays) ? await runRollout(playbook.plays, work, options, events) : await runFleet(work, options, events);
  } finally {
    closeLive();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  await finished;
  const changes = renderChanges(result);
  if (changes.length > 0) say(['', chalk.bold(check ? 'DIFFERENCES' : 'CHANGES'), ...changes].join('\n'));
  say(['', ...renderRecap(result), ...(flags.stats ? ['', ...renderStats(result)] : [])].join('\n'));
  const code = exitCode(result, flags.detailedExitcode === true);
  const doc = jsonReport(result, {
    playbook: playbookFile,
    inventory: flags.inventory,
    limit: flags.limit,
    startedAt,
    exitCode: code,
    ...(shard ? { shard: `${shard.index}/${shard.total}` } : {}),
  });
  await writeReports(doc, code, flags);
  return code;
}

/**
 * Ansible also reads group_vars/ and host_vars/ beside the playbook; tend reads those
 * beside the inventory only, and refuses to run past ones it would ignore.
 */
function refusePlaybookVarsDirs(playbookFile: string, inventoryFile: string): void {
  const playbookDir = dirname(resolve(playbookFile));
  if (playbookDir === dirname(resolve(inventoryFile))) return;
  for (const kind of ['group_vars', 'host_vars']) {
    if (existsSync(join(playbookDir, kind))) {
      throw new InputError(
        `${join(playbookDir, kind)}: tend reads ${kind}/ beside the inventory only, not beside the playbook; move it next to ${inventoryFile}`,
      );
    }
  }
}

/** --json FILE (`-`: stdout) and --html FILE, when asked for, of one report. */
export async function writeReports(doc: ReportDocument, code: number, outputs: { json?: string; html?: string }): Promise<void> {
  if (outputs.json !== undefined) {
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (outputs.json === '-') process.stdout.write(text);
    else writeReportFile(outputs.json, text);
  }
  if (outputs.html !== undefined) await writeHtmlReport(outputs.html, doc, code);
}

/** The HTML report (its code loaded only when asked for), written like the JSON one. */
export async function writeHtmlReport(file: string, doc: ReportDocument, code: number): Promise<void> {
  const { htmlReport } = await import('../report/html.ts');
  writeReportFile(file, htmlReport(doc, code));
}

/**
 * Writes the report beside its destination under a random name opened exclusively (a
 * symlink planted there is never followed), then renames it into place.
 */
export function writeReportFile(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, text);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, file);
}
