// tend template TEMPLATE [-e VARS]… [-i INVENTORY --host NAME]: the text the template
// module would write, rendered here: the same engine, the same settings (trim_blocks on,
// Ansible's trailing-newline rule), the template_* variables and ansible_managed, the
// host's inventory variables under -e. A template Ansible could not parse, or that fails
// to render (an undefined variable, a filter's error), is exit 8 with file:line:col.
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { readInputFile } from '../input-file.ts';
import { loadInventory } from '../inventory/index.ts';
import { variableLookup } from '../playbook/template.ts';
import { ansibleTemplateVars, compileTemplate, TemplateError } from '../template/index.ts';
import { parseExtraVars } from './options.ts';

export interface TemplateFlags {
  extraVars: string[];
  inventory?: string;
  host?: string;
}

function located(e: TemplateError, file: string): InputError {
  return new InputError(e.message, { file: e.template ?? file, line: e.line ?? 1, col: e.column ?? 1 });
}

/** The rendered text, byte for byte. */
export function renderTemplateFile(file: string, flags: TemplateFlags): string {
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
  const layers: Record<string, unknown>[] = [];
  if (flags.inventory !== undefined && flags.host !== undefined) {
    const host = loadInventory(flags.inventory).hosts.get(flags.host);
    if (!host) throw new InputError(`no host '${flags.host}' in ${flags.inventory}`);
    layers.push(host.vars);
  }
  layers.push(parseExtraVars(flags.extraVars));
  const own = ansibleTemplateVars({ src: file, fullpath: resolve(file) });
  const vars = variableLookup(layers);
  try {
    return compiled.render((name) => (Object.hasOwn(own, name) ? own[name] : vars(name)));
  } catch (e) {
    if (e instanceof TemplateError) throw located(e, file);
    throw e;
  }
}
