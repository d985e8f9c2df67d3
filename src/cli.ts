// The command line's wiring, and the only place that calls process.exit. Each
// subcommand's code (commands/) is loaded when that subcommand runs, so `tend --help`
// loads commander and nothing of the engine, SSH, the live view or the modules.
import { Command } from 'commander';
import chalk from 'chalk';
import { readFileSync } from 'node:fs';
import type { PlaybookFlags } from './commands/playbook.ts';
import type { AdhocFlags } from './commands/run-command.ts';
import type { FactsFlags } from './commands/facts.ts';
import type { SmokeFlags } from './commands/smoke.ts';
import type { TemplateFlags } from './commands/template.ts';
import { addAdhocOptions, addConnectionOptions, addInventoryOptions, addRunOptions, addSmokeOptions, addTemplateOptions, EXIT_CODES, extraVarsOption, noColorOption, type InventoryFlags } from './commands/flags.ts';
import { failure } from './commands/failure.ts';

// The package's version, read beside the bundle or the sources (both are one level down).
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const program = new Command()
  .name('tend')
  .description('Idempotent server provisioning over SSH: read each host, plan the differences, apply only those.')
  .version(VERSION)
  .addHelpText('after', EXIT_CODES)
  .showHelpAfterError()
  .configureOutput({ outputError: (s, write) => write(chalk.red(s)) })
  .exitOverride();

for (const check of [false, true]) {
  const what = check ? 'check mode: read every host, report what would change, change nothing' : 'apply the playbook: change what differs';
  const cmd = addRunOptions(program.command(check ? 'check' : 'apply').description(what));
  if (!check) cmd.option('--detailed-exitcode', 'exit 2 when something changed (for CI gates)');
  cmd.action(async (playbook: string, flags: PlaybookFlags) => {
    process.exitCode = await (await import('./commands/playbook.ts')).runPlaybook(playbook, flags, check);
  });
}

program
  .command('validate')
  .description('check a playbook (and inventory) without contacting any host')
  .argument('<playbook>')
  .option('-i, --inventory <file>')
  .addOption(extraVarsOption())
  .action(async (playbook: string, flags: { inventory?: string; extraVars: string[] }) => {
    console.log((await import('./commands/validate.ts')).validate(playbook, flags));
  });

addTemplateOptions(program.command('template')).action(async (file: string, flags: TemplateFlags) => {
  process.stdout.write(await (await import('./commands/template.ts')).renderTemplateFile(file, flags));
});

addAdhocOptions(program.command('run')).action(async (words: string[], flags: AdhocFlags) => {
  process.exitCode = await (await import('./commands/run-command.ts')).runCommand(words, flags);
});

addConnectionOptions(program.command('facts').description('what each host is, as playbooks see it (facts.*, ansible_distribution, …)'))
  .option('--json', 'the facts as JSON, by host')
  .addHelpText('after', '\nExit status: 0 every host answered · 4 some host unreachable · 8 bad input')
  .action(async (flags: FactsFlags) => {
    process.exitCode = await (await import('./commands/facts.ts')).runFacts(flags);
  });

addSmokeOptions(program.command('smoke').description('start throwaway containers, apply, apply again (idempotence), check, verify, remove them')).action(
  async (playbook: string, flags: SmokeFlags) => {
    process.exitCode = await (await import('./commands/smoke.ts')).runSmoke(playbook, flags);
  },
);

const report = program.command('report').description('work with saved JSON reports');
report
  .command('merge')
  .description('merge the JSON reports of a fleet’s shards (--shard K/N) into one recap and one exit code')
  .argument('<reports...>', 'JSON reports written by --json')
  .option('--json <file>', "write the merged report as JSON; '-' for stdout")
  .option('--html <file>', 'write the merged report as one self-contained HTML page')
  .addOption(noColorOption())
  .action(async (files: string[], flags: { json?: string; html?: string; color: boolean }) => {
    process.exitCode = await (await import('./commands/report-merge.ts')).mergeReports(files, flags);
  });
report
  .command('html')
  .description('a saved JSON report (one run, or merged shards) as one self-contained HTML page')
  .argument('<report>', 'JSON report written by --json or report merge --json')
  .option('-o, --output <file>', 'the HTML file (default: the report’s name with .html)')
  .action(async (file: string, flags: { output?: string }) => {
    console.log(await (await import('./commands/report-html.ts')).reportToHtml(file, flags.output));
  });

addInventoryOptions(program.command('inventory')).action(async (flags: InventoryFlags) => {
  console.log((await import('./commands/inventory.ts')).runInventory(flags));
});

program
  .command('schema')
  .description('print the JSON Schema (draft-07) of playbooks, for editors')
  .action(async () => console.log((await import('./commands/schema.ts')).playbookSchemaText()));

program
  .command('modules')
  .description("list the task modules, or show one module's parameters and an example")
  .argument('[name]')
  .action(async (name?: string) => console.log((await import('./commands/modules.ts')).describeModules(name)));

// A reader that goes away (`tend smoke … | head -1`): what is left to print is dropped,
// not shown with a stack, and the command goes on to its ordinary end (containers
// removed, reports written) and exits with its own status; exiting here would skip that.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'EIO') throw e; // EIO: the terminal went away (SIGHUP follows)
  });
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const { status, message } = failure(e);
  if (message) console.error(message);
  process.exit(status);
}
