// The command line's shared option groups and help texts. Only commander here: the
// command line is defined without loading any command's code (src/cli.ts).
import { Command, Option } from 'commander';

export const EXIT_CODES = `
Exit status (a bitmask; codes combine by OR):
  0  in sync, or everything applied
  1  a task failed on some host
  2  changes are needed (check), or were made (apply --detailed-exitcode)
  4  some host was unreachable or refused (host key)
  8  the input did not validate; no host was contacted`;

const RUN_EXIT_CODES =
  '\nExit status: 0 every host exited 0 · 1 some command failed or timed out · 4 some host unreachable · 8 bad input · 130 interrupted (143 SIGTERM, 129 SIGHUP)';

export const SMOKE_EXIT_CODES =
  '\nExit status: 0 all passed · 1 a step failed · 4 a container unreachable · 8 bad input · 16 not idempotent (a second apply or check found changes) · 130 interrupted';

/** A repeatable option's values, in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function extraVarsOption(): Option {
  return new Option('-e, --extra-vars <key=value>', 'variable (repeatable; also @file.yml or JSON)').default([]).argParser(collect);
}

export function noColorOption(): Option {
  return new Option('--no-color', 'plain output without colours (NO_COLOR is honoured too)');
}

/** Which hosts, and how to reach them: shared by every command that contacts hosts. */
export function addConnectionOptions(cmd: Command): Command {
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
    .addOption(noColorOption());
}

/** What apply and check take: a playbook, the hosts, and the run's reports and selections. */
export function addRunOptions(cmd: Command): Command {
  return addConnectionOptions(cmd.argument('<playbook>', 'playbook YAML file'))
    .addOption(extraVarsOption())
    .option('--json <file>', "write the run's report as JSON (schema/report.schema.json); '-' for stdout")
    .option('--html <file>', 'write the report as one self-contained HTML page (hosts × tasks, diffs a click away)')
    .option('--stats', 'round trips, bytes, connect and task times per host in the recap')
    .option('--task-timeout <seconds>', "seconds a task's commands may run (a task's timeout: overrides; 0: no limit)", '3600')
    .option('--shard <K/N|auto>', 'work on shard K of N of the selected hosts (by a hash of their names); auto: from the CI environment')
    .addOption(new Option('-t, --tags <tags>', 'only tasks with these tags (comma-separated, repeatable; always and never as in Ansible)').default([]).argParser(collect))
    .addOption(new Option('--skip-tags <tags>', 'not the tasks with these tags (comma-separated, repeatable)').default([]).argParser(collect))
    .addHelpText('after', EXIT_CODES);
}

/** tend smoke's options: the containers, what to verify, and its reports. */
export function addSmokeOptions(cmd: Command): Command {
  return cmd
    .argument('<playbook>', 'playbook YAML file')
    .requiredOption('--image <image>', 'container image to start the hosts from')
    .option('--hosts <n>', 'how many containers', '1')
    .addOption(new Option('--engine <engine>', 'container engine (default: docker, else podman)').choices(['docker', 'podman']))
    .option('--network <name>', 'container network (the engine’s default otherwise)')
    .addOption(new Option('--verify <command>', 'a shell command that must exit 0 on each host afterwards (repeatable)').default([]).argParser(collect))
    .option('--keep', 'leave the containers running, and say how to enter one')
    .addOption(extraVarsOption())
    .option('--task-timeout <seconds>', "seconds a task's commands may run (0: no limit)", '3600')
    .option('--json <file>', 'the steps of every host as JSON')
    .option('--junit <file>', 'JUnit XML: one test case per host and step')
    .addOption(noColorOption())
    .addHelpText('after', SMOKE_EXIT_CODES);
}

/** tend run's: the command, the hosts, and how to run it. */
export function addAdhocOptions(cmd: Command): Command {
  return addConnectionOptions(
    cmd
      .description('run one command on every selected host, in parallel; identical outputs grouped')
      .argument('<command...>', 'the command: one argument is shell text, several are quoted words (put it after --)'),
  )
    .option('--list-hosts', 'only list the hosts the command would reach')
    .option('-y, --yes', 'run a destructive command (postsuper -d, rm, reboot…) without asking')
    .option('--become', 'run through sudo -n when the user is not root')
    .option('--task-timeout <seconds>', 'seconds the command may run on a host (0: no limit)', '3600')
    .addHelpText('after', RUN_EXIT_CODES);
}

export interface InventoryFlags {
  inventory: string;
  list?: boolean;
  graph?: boolean | string;
  host?: string;
}

/** tend inventory's: which inventory, and which of ansible-inventory's shapes. */
export function addInventoryOptions(cmd: Command): Command {
  return cmd
    .description("print what tend made of an inventory, in ansible-inventory's shapes")
    .requiredOption('-i, --inventory <file>', 'inventory: Ansible YAML or INI')
    .option('--list', 'groups and every host’s variables as JSON (the default)')
    .option('--graph [group]', 'the group tree, from all or the given group')
    .option('--host <name>', "one host's variables as JSON");
}

/** tend template's: the template, variables, and a host of an inventory. */
export function addTemplateOptions(cmd: Command): Command {
  return cmd
    .description('render a Jinja2 template here, exactly as the template module would write it')
    .argument('<template>')
    .addOption(extraVarsOption())
    .option('-i, --inventory <file>', "with --host: that host's variables")
    .option('--host <name>', 'the host whose variables the template sees (and its facts, read with one probe when the template uses them)')
    .option('--no-facts', "with --host: do not contact the host; its facts stay undefined")
    .addOption(new Option('--known-hosts <file>', 'known_hosts file (repeatable; default ~/.ssh/known_hosts)').default([]).argParser(collect))
    .option('--accept-new-host-keys', 'trust unknown host keys on first use and record them (never a changed key)')
    .option('--timeout <seconds>', 'SSH connect timeout', '10')
    .option('-F, --ssh-config <file>', 'OpenSSH configuration to read instead of ~/.ssh/config and /etc/ssh/ssh_config')
    .option('--key-passphrase-env <name>', 'passphrase of encrypted private keys, from this environment variable');
}
