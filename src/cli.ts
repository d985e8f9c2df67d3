// Argument parsing, and the only place that calls process.exit.
import { Command, Option } from 'commander';
import chalk from 'chalk';
import { readFileSync } from 'node:fs';
import { modules } from '../tasks/index.ts';
// Commands that contact hosts are loaded when they run: SSH and the live view cost
// start-up time that validate, inventory and schema do not need.
import { knownVariables, parseExtraVars, useColour } from './commands/options.ts';
import { runInventory } from './commands/inventory.ts';
import type { PlaybookFlags } from './commands/playbook.ts';
import type { AdhocFlags } from './commands/run-command.ts';
import type { FactsFlags } from './commands/facts.ts';
import type { SmokeFlags } from './commands/smoke.ts';
import { InputError, InputErrors, throwIfAny } from './errors.ts';
import { loadInventory } from './inventory/index.ts';
import { loadPlaybook } from './playbook/load.ts';
import { undefinedVariableErrors } from './playbook/variables.ts';
import { closest } from './playbook/suggest.ts';
import { describeModule, playbookJsonSchema } from './schema.ts';

// The package's version, read beside the bundle or the sources (both are one level down).
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const EXIT_CODES = `
Exit status (a bitmask; codes combine by OR):
  0  in sync, or everything applied
  1  a task failed on some host
  2  changes are needed (check), or were made (apply --detailed-exitcode)
  4  some host was unreachable or refused (host key)
  8  the input did not validate; no host was contacted`;

const program = new Command()
  .name('tend')
  .description('Idempotent server provisioning over SSH: read each host, plan the differences, apply only those.')
  .version(VERSION)
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
    .option('--timeout <seconds>', 'SSH connect timeout; a silent connection is given up after 3 times this (at most 45 s)', '10')
    .option('-F, --ssh-config <file>', 'OpenSSH configuration to read instead of ~/.ssh/config and /etc/ssh/ssh_config')
    .option('--key-passphrase-env <name>', 'passphrase of encrypted private keys, from this environment variable (at a terminal, asked once per key)')
    .option('--ask-become-pass', "ask once for sudo's password (for become)")
    .option('--become-pass-env <name>', "sudo's password (for become) from this environment variable")
    .option('--no-color', 'plain output without colours (NO_COLOR is honoured too)');
}

function addRunOptions(cmd: Command): Command {
  return addConnectionOptions(cmd.argument('<playbook>', 'playbook YAML file'))
    .addOption(new Option('-e, --extra-vars <key=value>', 'variable (repeatable; also @file.yml or JSON)').default([]).argParser(collect))
    .option('--json <file>', "write the run's report as JSON (schema/report.schema.json); '-' for stdout")
    .option('--html <file>', 'write the report as one self-contained HTML page (hosts × tasks, diffs a click away)')
    .option('--stats', 'round trips, bytes, connect and task times per host in the recap')
    .option('--task-timeout <seconds>', "seconds a task's commands may run (a task's timeout: overrides; 0: no limit)", '3600')
    .option('--shard <K/N|auto>', 'work on shard K of N of the selected hosts (by a hash of their names); auto: from the CI environment')
    .addOption(new Option('-t, --tags <tags>', 'only tasks with these tags (comma-separated, repeatable; always and never as in Ansible)').default([]).argParser(collect))
    .addOption(new Option('--skip-tags <tags>', 'not the tasks with these tags (comma-separated, repeatable)').default([]).argParser(collect))
    .addHelpText('after', EXIT_CODES);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

addRunOptions(program.command('apply').description('apply the playbook: change what differs'))
  .option('--detailed-exitcode', 'exit 2 when something changed (for CI gates)')
  .action(async (playbook: string, flags: PlaybookFlags) => {
    const { runPlaybook } = await import('./commands/playbook.ts');
    process.exitCode = await runPlaybook(playbook, flags, false);
  });

addRunOptions(program.command('check').description('check mode: read every host, report what would change, change nothing')).action(
  async (playbook: string, flags: PlaybookFlags) => {
    const { runPlaybook } = await import('./commands/playbook.ts');
    process.exitCode = await runPlaybook(playbook, flags, true);
  },
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

addConnectionOptions(
  program
    .command('run')
    .description('run one command on every selected host, in parallel; identical outputs grouped')
    .argument('<command...>', 'the command: one argument is shell text, several are quoted words (put it after --)'),
)
  .option('--list-hosts', 'only list the hosts the command would reach')
  .option('-y, --yes', 'run a destructive command (postsuper -d, rm, reboot…) without asking')
  .option('--become', 'run through sudo -n when the user is not root')
  .option('--task-timeout <seconds>', 'seconds the command may run on a host (0: no limit)', '3600')
  .addHelpText('after', '\nExit status: 0 every host exited 0 · 1 some command failed or timed out · 4 some host unreachable · 8 bad input · 130 interrupted (143 SIGTERM, 129 SIGHUP)')
  .action(async (words: string[], flags: AdhocFlags) => {
    const { runCommand } = await import('./commands/run-command.ts');
    process.exitCode = await runCommand(words, flags);
  });

addConnectionOptions(program.command('facts').description('what each host is, as playbooks see it (facts.*, ansible_distribution, …)'))
  .option('--json', 'the facts as JSON, by host')
  .addHelpText('after', '\nExit status: 0 every host answered · 4 some host unreachable · 8 bad input')
  .action(async (flags: FactsFlags) => {
    const { runFacts } = await import('./commands/facts.ts');
    process.exitCode = await runFacts(flags);
  });

program
  .command('smoke')
  .description('start throwaway containers, apply, apply again (idempotence), check, verify, remove them')
  .argument('<playbook>', 'playbook YAML file')
  .requiredOption('--image <image>', 'container image to start the hosts from')
  .option('--hosts <n>', 'how many containers', '1')
  .addOption(new Option('--engine <engine>', 'container engine (default: docker, else podman)').choices(['docker', 'podman']))
  .option('--network <name>', 'container network (the engine’s default otherwise)')
  .addOption(new Option('--verify <command>', 'a shell command that must exit 0 on each host afterwards (repeatable)').default([]).argParser(collect))
  .option('--keep', 'leave the containers running, and say how to enter one')
  .addOption(new Option('-e, --extra-vars <key=value>', 'variable (repeatable; also @file.yml or JSON)').default([]).argParser(collect))
  .option('--task-timeout <seconds>', "seconds a task's commands may run (0: no limit)", '3600')
  .option('--json <file>', 'the steps of every host as JSON')
  .option('--junit <file>', 'JUnit XML: one test case per host and step')
  .option('--no-color', 'plain output without colours (NO_COLOR is honoured too)')
  .addHelpText('after', '\nExit status: 0 all passed · 1 a step failed · 4 a container unreachable · 8 bad input · 16 not idempotent (a second apply or check found changes) · 130 interrupted')
  .action(async (playbook: string, flags: SmokeFlags) => {
    const { runSmoke } = await import('./commands/smoke.ts');
    process.exitCode = await runSmoke(playbook, flags);
  });

const report = program.command('report').description('work with saved JSON reports');
report
  .command('merge')
  .description('merge the JSON reports of a fleet’s shards (--shard K/N) into one recap and one exit code')
  .argument('<reports...>', 'JSON reports written by --json')
  .option('--json <file>', "write the merged report as JSON; '-' for stdout")
  .option('--html <file>', 'write the merged report as one self-contained HTML page')
  .option('--no-color', 'plain output without colours (NO_COLOR is honoured too)')
  .action(async (files: string[], flags: { json?: string; html?: string; color: boolean }) => {
    useColour(flags);
    const { mergeReports } = await import('./commands/report-merge.ts');
    process.exitCode = await mergeReports(files, flags);
  });
report
  .command('html')
  .description('a saved JSON report (one run, or merged shards) as one self-contained HTML page')
  .argument('<report>', 'JSON report written by --json or report merge --json')
  .option('-o, --output <file>', 'the HTML file (default: the report’s name with .html)')
  .action(async (file: string, flags: { output?: string }) => {
    const { reportToHtml } = await import('./commands/report-html.ts');
    console.log(await reportToHtml(file, flags.output));
  });

program
  .command('inventory')
  .description("print what tend made of an inventory, in ansible-inventory's shapes")
  .requiredOption('-i, --inventory <file>', 'inventory: Ansible YAML or INI')
  .option('--list', 'groups and every host’s variables as JSON (the default)')
  .option('--graph [group]', 'the group tree, from all or the given group')
  .option('--host <name>', "one host's variables as JSON")
  .action((flags: { inventory: string; list?: boolean; graph?: boolean | string; host?: string }) => {
    console.log(runInventory(flags));
  });

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

// A reader that goes away (`tend smoke … | head -1`): what is left to print is dropped,
// not shown with a stack, and the command goes on to its ordinary end — containers
// removed, reports written — and exits with its own status. Exiting here instead would
// skip that cleanup and report success for a run that failed.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    // EIO: the terminal itself went away (SIGHUP follows).
    if (e.code === 'EPIPE' || e.code === 'EIO') return;
    throw e;
  });
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
