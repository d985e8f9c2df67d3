// A template file for the template module (and file's `template:`): found where Ansible
// finds it, read and compiled once when the playbook is read, rendered per host with the
// template module's own variables (template_*, ansible_managed) over the host's.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { HostRendered } from '../../src/module.ts';
import { readInputFile } from '../../src/input-file.ts';
import { ansibleTemplateVars, compileTemplate, TemplateError, type CompiledTemplate, type Syntax } from '../../src/template/index.ts';
import { TEND_FILTERS } from '../../src/template/filters/tend.ts';

const NEWLINES: Record<string, string> = { '\\n': '\n', '\\r': '\r', '\\r\\n': '\r\n' };

/**
 * The directories Ansible looks in for a template of a task whose files are at `baseDir`:
 * a role's templates/, the role, its tasks/templates/ and tasks/, then templates/ beside
 * the playbook and the playbook's directory; outside a role, templates/ beside the task's
 * file, then beside it.
 */
export function templateDirs(baseDir: string): string[] {
  const roleDir = dirname(baseDir);
  const inRole = basename(dirname(roleDir)) === 'roles' && ['templates', 'tasks', 'handlers'].includes(basename(baseDir));
  if (!inRole) return [join(baseDir, 'templates'), baseDir];
  const playbookDir = dirname(dirname(roleDir));
  return [join(roleDir, 'templates'), roleDir, join(roleDir, 'tasks', 'templates'), join(roleDir, 'tasks'), join(playbookDir, 'templates'), playbookDir];
}

/** The template's lexer settings from the task's parameters (a `#jinja2:` first line overrides them). */
export function syntaxOf(raw: Record<string, unknown>): Partial<Syntax> {
  const text = (k: string, d: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : d);
  const flag = (k: string, d: boolean) => (typeof raw[k] === 'boolean' ? (raw[k] as boolean) : d);
  return {
    trimBlocks: flag('trim_blocks', true),
    lstripBlocks: flag('lstrip_blocks', false),
    newlineSequence: NEWLINES[text('newline_sequence', '\\n')] ?? '\n',
    blockStart: text('block_start_string', '{%'),
    blockEnd: text('block_end_string', '%}'),
    variableStart: text('variable_start_string', '{{'),
    variableEnd: text('variable_end_string', '}}'),
    commentStart: text('comment_start_string', '{#'),
    commentEnd: text('comment_end_string', '#}'),
  };
}

/** A compiled template, rendered per host with the template module's own variables over the host's. */
export class FileTemplate implements HostRendered {
  readonly reads: string;
  readonly #compiled: CompiledTemplate;
  readonly #vars: Record<string, unknown>;
  constructor(compiled: CompiledTemplate, vars: Record<string, unknown>) {
    this.#compiled = compiled;
    this.#vars = vars;
    const own = (n: string) => Object.hasOwn(vars, n);
    const required = new Set(compiled.requiredVariables().filter((n) => !own(n)));
    const tested = compiled.referencedVariables().filter((n) => !own(n) && !required.has(n));
    this.reads = [...[...required].map((n) => `{{ ${n} }}`), ...tested.map((n) => `{{ ${n} is defined }}`)].join('');
  }
  get name(): string {
    return this.#compiled.name;
  }
  renderForHost(lookup: (name: string) => unknown): string {
    return this.#compiled.render((name) => (Object.hasOwn(this.#vars, name) ? this.#vars[name] : lookup(name)));
  }
  toJSON(): string {
    return `(template ${this.#compiled.name})`;
  }
}

/**
 * Finds, reads and compiles the template named `src` (`options`: the task's parameters,
 * for the lexer settings and dest). Errors are sentences; a template Ansible could not
 * parse names its file:line:col.
 */
export function loadTemplate(src: string, baseDir: string, options: Record<string, unknown> = {}): FileTemplate {
  if (src.includes('{{') || src.includes('{%')) throw new Error(`src ${src}: must name a file when the playbook is read (no templates)`);
  const dirs = isAbsolute(src) ? [dirname(src)] : templateDirs(baseDir);
  const candidates = isAbsolute(src) ? [src] : dirs.map((d) => join(d, src));
  // The first that exists; one that is not a regular file is refused by readInputFile.
  const found = candidates.find((c) => existsSync(c) && !statSync(c).isDirectory());
  if (!found) throw new Error(`template ${src}: no such file (looked at ${candidates.join(', ')})`);
  // Capped and regular files only, as every input file: `src: /dev/zero` never ends.
  const text = readInputFile(found, 'template');
  const searchPath = [...new Set([dirname(found), ...dirs])];
  let compiled: CompiledTemplate;
  try {
    compiled = compileTemplate(text, { name: found, searchPath, syntax: syntaxOf(options), lookups: { searchPath }, filters: TEND_FILTERS });
  } catch (e) {
    if (e instanceof TemplateError) throw new Error(e.located);
    throw e;
  }
  const dest = typeof options.dest === 'string' && !options.dest.includes('{{') ? options.dest : typeof options.path === 'string' ? options.path : undefined;
  return new FileTemplate(compiled, ansibleTemplateVars({ src, fullpath: found, dest }));
}
