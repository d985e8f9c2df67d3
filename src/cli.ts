// Argument parsing, and the only place that calls process.exit.
import { Command, Option } from 'commander';
import { homedir } from 'node:os';
import { join } from 'node:path';
import chalk from 'chalk';
import { YamlSource } from './yaml-source.ts';
import { emptyVars, mergeVars } from './vars.ts';
import { renameSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { modules } from '../tasks/index.ts';
import { commandFromArgs, isDestructive, renderAdhoc, runAdhoc } from './adhoc.ts';
import { exitCode } from './engine/results.ts';
import { runFleet, type RunEvents } from './engine/run.ts';
import { InputError, InputErrors, throwIfAny } from './errors.ts';
import { loadInventory, selectHosts, type Host } from './inventory/index.ts';
import { loadPlaybook, type Play } from './playbook/load.ts';
import { undefinedVariableErrors } from './playbook/variables.ts';
import { closest } from './playbook/suggest.ts';
import { liveReporter } from './report/live.ts';
import { describeModule, playbookJsonSchema } from './schema.ts';
import { plainReporter } from './report/plain.ts';
import { jsonReport } from './report/json.ts';
import { renderChanges, renderRecap, renderStats } from './report/recap.ts';

const EXIT_CODES = `
Exit status (a bitmask; codes combine by OR):
  0  in sync, or everything applied
  1  a task failed on some host
  2  changes are needed (check), or were made (apply --detailed-exitcode)
  4  some host was unreachable or refused (host key)
  8  the input did not validate; no host was contacted`;

interface RunFlags {
  inventory: string;
  limit?: string;
  extraVars: string[];
  forks: string;
  knownHosts: string[];
  acceptNewHostKeys?: boolean;
  timeout: string;
  detailedExitcode?: boolean;
  color: boolean;
  json?: string;
  stats?: boolean;
}

const program = new Command()
  .name('tend')
  .description('Idempotent server provisioning over SSH: read each host, plan the differences, apply only those.')
  .addHelpText('after', EXIT_CODES)
  .showHelpAfterError()
  .configureOutput({ outputError: (s, write) => write(chalk.red(s)) })
  .exitOverride();

/** Which hosts, and how to reach them: shared by every command that contacts hosts. */
function addConnectionOptions(cmd: Command): Command {
  return cmd
    .requiredOption('-i, --inventory <file>', 'inventory: tend or Ansible YAML, or Ansible INI')
    .option('-l, --limit <pattern>', 'hosts and groups: a,b  !excluded  &intersect  glob*')
    .option('-f, --forks <n>', 'hosts worked on at once', '20')
    .addOption(new Option('--known-hosts <file>', 'known_hosts file (repeatable; default ~/.ssh/known_hosts)').default([]).argParser(collect))
    .option('--accept-new-host-keys', 'trust unknown host keys on first use and record them (never a changed key)')
    .option('--timeout <seconds>', 'SSH connect timeout', '10')
    .option('--no-color', 'plain output without colours (NO_COLOR is honoured too)');
}

function addRunOptions(cmd: Command): Command {
  return addConnectionOptions(cmd.argument('<playbook>', 'playbook YAML file'))
    .addOption(new Option('-e, --extra-vars <key=value>', 'variable (repeatable; also @file.yml or JSON)').default([]).argParser(collect))
    .option('--json <file>', "write the run's report as JSON (schema/report.schema.json); '-' for stdout")
    .option('--stats', 'round trips, bytes, connect and task times per host in the recap')
    .addHelpText('after', EXIT_CODES);
}

/** --no-color and NO_COLOR turn colours off. */
function useColour(flags: { color: boolean }): void {
  if (!flags.color || process.env.NO_COLOR) chalk.level = 0;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

addRunOptions(program.command('apply').description('apply the playbook: change what differs'))
  .option('--detailed-exitcode', 'exit 2 when something changed (for CI gates)')
  .action((playbook: string, flags: RunFlags) => run(playbook, flags, false));

addRunOptions(program.command('check').description('check mode: read every host, report what would change, change nothing')).action(
  (playbook: string, flags: RunFlags) => run(playbook, flags, true),
);

program
  .command('validate')
  .description('check a playbook (and inventory) without contacting any host')
  .argument('<playbook>')
  .option('-i, --inventory <file>')
  .addOption(new Option('-e, --extra-vars <key=value>', 'variable (repeatable)').default([]).argParser(collect))
  .action((playbookFile: string, flags: { inventory?: string; extraVars: string[] }) => {
    const playbook = loadPlaybook(playbookFile, modules);
    if (flags.inventory) {
      const inventory = loadInventory(flags.inventory);
      const known = knownVariables([...inventory.hosts.values()], parseExtraVars(flags.extraVars));
      throwIfAny(undefinedVariableErrors(playbook, known));
    }
    console.log(`${playbookFile}: valid${flags.inventory ? ` with ${flags.inventory}` : ' (variables from an inventory not checked: give -i)'}`);
  });

/** Names of variables some host will have: any host's inventory vars and -e. */
function knownVariables(hosts: readonly Host[], extraVars: Record<string, unknown>): Set<string> {
  return new Set([...hosts.flatMap((h) => Object.keys(h.vars)), ...Object.keys(extraVars)]);
}

addConnectionOptions(
  program
    .command('run')
    .description('run one command on every selected host, in parallel; identical outputs grouped')
    .argument('<command...>', 'the command: one argument is shell text, several are quoted words (put it after --)'),
)
  .option('--list-hosts', 'only list the hosts the command would reach')
  .option('-y, --yes', 'run a destructive command (postsuper -d, rm, reboot…) without asking')
  .option('--become', 'run through sudo -n when the user is not root')
  .addHelpText('after', '\nExit status: 0 every host exited 0 · 1 some command failed · 4 some host unreachable · 8 bad input')
  .action(async (words: string[], flags: RunFlags & { listHosts?: boolean; yes?: boolean; become?: boolean }) => {
    useColour(flags);
    const hosts = selectHosts(loadInventory(flags.inventory), flags.limit);
    if (flags.listHosts) {
      console.log(`${hosts.length} host(s):`);
      for (const h of hosts) console.log(`  ${h.name}  ${h.user}@${h.address}:${h.port}`);
      return;
    }
    const command = commandFromArgs(words);
    if (isDestructive(command.text) && !flags.yes && !(await confirm(`Run '${command.text}' on ${hosts.length} host(s)? [y/N] `))) {
      throw new InputError(`'${command.text}' looks destructive: refusing without --yes (or a 'y' on a terminal)`);
    }
    const results = await runAdhoc(hosts, command, {
      forks: positiveInt(flags.forks, '--forks'),
      knownHostsFiles: flags.knownHosts.length > 0 ? flags.knownHosts : [join(homedir(), '.ssh', 'known_hosts')],
      acceptNewHostKeys: flags.acceptNewHostKeys === true,
      connectTimeoutMs: positiveInt(flags.timeout, '--timeout') * 1000,
      become: flags.become === true,
    });
    console.log(renderAdhoc(results).join('\n'));
    let code = 0;
    if (results.some((r) => r.unreachable)) code |= 4;
    if (results.some((r) => (r.code !== null && r.code !== 0) || (r.error !== undefined && !r.unreachable))) code |= 1;
    process.exitCode = code;
  });

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

program
  .command('schema')
  .description('print the JSON Schema (draft-07) of playbooks, for editors')
  .action(() => console.log(JSON.stringify(playbookJsonSchema(modules), null, 2)));

program
  .command('modules')
  .description("list the task modules, or show one module's parameters and an example")
  .argument('[name]')
  .action((name?: string) => {
    if (name === undefined) {
      const width = Math.max(...[...modules.keys()].map((k) => k.length));
      for (const m of modules.values()) console.log(`${m.name.padEnd(width)}  ${m.summary}`);
      return;
    }
    const module = modules.get(name);
    if (!module) {
      const hint = closest(name, [...modules.keys()]);
      throw new InputError(`no module '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; known: ${[...modules.keys()].join(', ')}`);
    }
    console.log(describeModule(module));
  });

async function run(playbookFile: string, flags: RunFlags, check: boolean): Promise<void> {
  useColour(flags);
  // Everything is read and validated before any host is contacted.
  const inventory = loadInventory(flags.inventory);
  const playbook = loadPlaybook(playbookFile, modules);
  const extraVars = parseExtraVars(flags.extraVars);
  const forks = positiveInt(flags.forks, '--forks');
  const timeout = positiveInt(flags.timeout, '--timeout');
  const work = new Map<Host, Play[]>();
  for (const play of playbook.plays) {
    for (const host of selectHosts(inventory, flags.limit, play.hosts)) {
      work.set(host, [...(work.get(host) ?? []), play]);
    }
  }
  throwIfAny(undefinedVariableErrors(playbook, knownVariables([...work.keys()], extraVars)));
  if (work.size === 0) {
    console.error(`tend: no host of ${flags.inventory} matches the plays' hosts${flags.limit ? ` and --limit ${flags.limit}` : ''}`);
    process.exitCode = 0;
    return;
  }

  // With --json -, stdout carries the report alone; people read stderr.
  const human = flags.json === '-' ? process.stderr : process.stdout;
  const say = (line: string) => human.write(`${line}\n`);
  // A terminal without a size (some CI pseudo-terminals) cannot host a live view.
  const interactive = human.isTTY === true && !process.env.CI && (human as NodeJS.WriteStream).columns > 0;
  let events: RunEvents;
  let finished: Promise<unknown> = Promise.resolve();
  if (interactive) {
    const live = liveReporter([...work.keys()].map((h) => h.name), check, forks);
    events = live.events;
    finished = live.finished;
  } else {
    events = plainReporter(check, say);
  }
  const startedAt = new Date();
  const result = await runFleet(
    work,
    {
      check,
      forks,
      extraVars,
      knownHostsFiles: flags.knownHosts.length > 0 ? flags.knownHosts : [join(homedir(), '.ssh', 'known_hosts')],
      acceptNewHostKeys: flags.acceptNewHostKeys === true,
      connectTimeoutMs: timeout * 1000,
    },
    events,
  );
  await finished;
  const changes = renderChanges(result);
  if (changes.length > 0) say(['', chalk.bold(check ? 'DIFFERENCES' : 'CHANGES'), ...changes].join('\n'));
  say(['', ...renderRecap(result), ...(flags.stats ? ['', ...renderStats(result)] : [])].join('\n'));
  if (flags.json !== undefined) {
    const report = `${JSON.stringify(jsonReport(result, { playbook: playbookFile, inventory: flags.inventory, limit: flags.limit, startedAt }), null, 2)}\n`;
    if (flags.json === '-') process.stdout.write(report);
    else writeFileAtomically(flags.json, report);
  }
  process.exitCode = exitCode(result, flags.detailedExitcode === true);
}

function writeFileAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function parseExtraVars(values: string[]): Record<string, unknown> {
  const vars = emptyVars();
  for (const v of values) {
    if (v.startsWith('@')) {
      const file = v.slice(1);
      const data = YamlSource.load(file).toJS();
      if (!data || typeof data !== 'object' || Array.isArray(data)) throw new InputError(`-e ${v}: the file must hold a mapping`);
      mergeVars(vars, data as Record<string, unknown>);
    } else if (v.trimStart().startsWith('{')) {
      try {
        mergeVars(vars, JSON.parse(v));
      } catch (e) {
        throw new InputError(`-e: not valid JSON: ${(e as Error).message}`);
      }
    } else {
      for (const pair of v.split(/\s+(?=[A-Za-z_][A-Za-z0-9_]*=)/)) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new InputError(`-e '${pair}': expected key=value`);
        vars[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
    }
  }
  return vars;
}

function positiveInt(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${what} must be a whole number above 0, not '${v}'`);
  return n;
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof InputError || e instanceof InputErrors) {
    console.error(chalk.red(`tend: ${e instanceof InputError ? e.format() : e.message.replaceAll('\n', '\ntend: ')}`));
    process.exit(8);
  }
  if (e && typeof e === 'object' && 'exitCode' in e && (e as { code?: string }).code?.startsWith('commander.')) {
    const code = (e as { exitCode: number }).exitCode;
    process.exit(code === 0 ? 0 : 8);
  }
  console.error(e);
  process.exit(1);
}
