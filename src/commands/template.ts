// tend template TEMPLATE [-e VARS]… [-i INVENTORY --host NAME]: the text the template
// module would write, rendered here: the same engine, the same settings (trim_blocks on,
// Ansible's trailing-newline rule), the template_* variables and ansible_managed, the
// host's inventory variables under -e, the magic variables a host has outside a play
// (groups, hostvars, inventory_hostname, omit, …), and, when the template uses facts,
// the host's facts read with one probe (--no-facts: never contact it; unreachable: said
// on stderr, the facts stay undefined). A template Ansible could not parse, or that fails
// to render (an undefined variable, a filter's error), is exit 8 with file:line:col.
import { dirname, resolve } from 'node:path';
import { forEachHost } from '../engine/connect.ts';
import { probeBatch } from '../engine/batch.ts';
import { FACT_NAMES, FACTS_SNIPPET, factVariables, parseFacts } from '../engine/facts.ts';
import { hostMagicVars, newRunMagic } from '../engine/magic-vars.ts';
import { InputError } from '../errors.ts';
import { readInputFile } from '../input-file.ts';
import { loadInventory, type Host, type Inventory } from '../inventory/index.ts';
import { variableLookup } from '../playbook/template.ts';
import { printable } from '../report/printable.ts';
import { ansibleTemplateVars, compileTemplate, TemplateError } from '../template/index.ts';
import { prepareHosts } from './connect-options.ts';
import { knownHostsFiles, parseExtraVars, positiveInt } from './options.ts';

export interface TemplateFlags {
  extraVars: string[];
  inventory?: string;
  host?: string;
  /** false with --no-facts. */
  facts?: boolean;
  knownHosts?: string[];
  acceptNewHostKeys?: boolean;
  timeout?: string;
  sshConfig?: string;
  keyPassphraseEnv?: string;
}

/** The host's facts as a play sees them, by one probe; undefined (and said why) when it cannot be reached. */
async function readFacts(host: Host, flags: TemplateFlags): Promise<Record<string, unknown> | undefined> {
  const { hosts, keys } = await prepareHosts([host], flags);
  const [outcome] = await forEachHost(
    hosts,
    {
      forks: 1,
      knownHostsFiles: knownHostsFiles({ knownHosts: flags.knownHosts ?? [] }),
      acceptNewHostKeys: flags.acceptNewHostKeys === true,
      connectTimeoutMs: positiveInt(flags.timeout ?? '10', '--timeout') * 1000,
      keys,
      become: () => false,
    },
    async (_h, transport) => {
      const batch = probeBatch([FACTS_SNIPPET]);
      const out = await transport.run(batch.script);
      return factVariables(parseFacts(batch.parse(out.stdout)[0]!.stdout));
    },
  );
  if (outcome?.value) return outcome.value;
  process.stderr.write(`tend template: ${printable(host.name)}: facts not read (${printable(outcome?.error?.message ?? 'no answer')}); they stay undefined\n`);
  return undefined;
}

function located(e: TemplateError, file: string): InputError {
  return new InputError(e.message, { file: e.template ?? file, line: e.line ?? 1, col: e.column ?? 1 });
}

/** The rendered text, byte for byte. */
export async function renderTemplateFile(file: string, flags: TemplateFlags): Promise<string> {
  if ((flags.host === undefined) !== (flags.inventory === undefined)) throw new InputError('-i/--inventory and --host go together');
  const text = readInputFile(file, 'template');
  const dir = dirname(resolve(file));
  const options = { name: file, searchPath: [dir, resolve(dir, 'templates')], lookups: { searchPath: [dir] } };
  let compiled;
  try {
    compiled = compileTemplate(text, options);
  } catch (e) {
    if (e instanceof TemplateError) throw located(e, file);
    throw e;
  }
  const extraVars = parseExtraVars(flags.extraVars);
  const layers: Record<string, unknown>[] = [];
  let magic: Record<string, unknown> = {};
  let facts: Record<string, unknown> | undefined;
  if (flags.inventory !== undefined && flags.host !== undefined) {
    const inventory: Inventory = loadInventory(flags.inventory);
    const host = inventory.hosts.get(flags.host);
    if (!host) throw new InputError(`no host '${flags.host}' in ${flags.inventory}`);
    layers.push(host.vars);
    const usesFacts = compiled.referencedVariables().some((n) => FACT_NAMES.has(n) || n === 'hostvars');
    if (usesFacts && flags.facts !== false) facts = await readFacts(host, flags);
    const run = newRunMagic({ inventory, playbookFile: resolve('.', 'playbook'), check: false, forks: 5, runTags: [], skipTags: [], extraVars, playHosts: new Map() });
    if (facts) run.facts.set(host.name, facts);
    magic = hostMagicVars(run, host);
  }
  layers.push(extraVars);
  const own = ansibleTemplateVars({ src: file, fullpath: resolve(file) });
  const below = (name: string) => (facts && FACT_NAMES.has(name) && Object.hasOwn(facts, name) ? facts[name] : undefined);
  const vars = variableLookup(layers, below, magic);
  try {
    return compiled.render((name) => (Object.hasOwn(own, name) ? own[name] : vars(name)));
  } catch (e) {
    if (e instanceof TemplateError) throw located(e, file);
    throw e;
  }
}
