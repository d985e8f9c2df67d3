// lookup() / query() / q() and the lookup plugins roles use, on the controller:
//   env, vars, file, template, first_found, fileglob, items, list, dict, indexed_items,
//   password (lookup-password.ts), together, nested, subelements, sequence (lookup-loops.ts),
//   and (only when the caller allows commands) pipe and lines.
// As in Ansible: lookup joins a list of strs with ',' (and returns a one-item list's item),
// query always returns the list; plugins see the host's variables, not the template's
// locals; files are searched in each search-path directory's files/ (templates/ for the
// template lookup), then the directory itself.
import { execFileSync } from 'node:child_process';
import { existsSync, opendirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { PyError, TemplateError, UndefinedError } from './errors.ts';
import { StateCallable, type RenderState } from './eval.ts';
import { nested, sequence, subelements, together } from './lookup-loops.ts';
import { passwordLookup } from './lookup-password.ts';
import { isDict, PyTuple, str, truthy, Undefined } from './values.ts';

export interface LookupOptions {
  /** Directories searched for files (the role, the playbook's directory, …). */
  searchPath?: string[];
  /** The environment `env` reads (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Whether pipe and lines may run commands on the controller (default: no). */
  commands?: boolean;
  /** Renders a template found by the template lookup (index.ts provides it). */
  renderTemplate?: (text: string, name: string, state: RenderState, searchPath: string[]) => unknown;
}

const lookupError = (msg: string) => new PyError('AnsibleError', msg, 'AnsibleError');

function findFile(options: LookupOptions, subdir: string, needle: string): string | null {
  if (isAbsolute(needle)) return existsSync(needle) && statSync(needle).isFile() ? needle : null;
  for (const dir of options.searchPath ?? []) {
    for (const candidate of [join(dir, subdir, needle), join(dir, needle)]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
  }
  return null;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
}

function unsortedEntries(dir: string): string[] {
  const d = opendirSync(dir);
  const names: string[] = [];
  try {
    for (let e = d.readSync(); e; e = d.readSync()) names.push(e.name);
  } finally {
    d.closeSync();
  }
  return names;
}

type Plugin = (terms: unknown[], kwargs: Map<string, unknown>, state: RenderState, options: LookupOptions) => unknown[];

const PLUGINS: Record<string, Plugin> = {
  env: (terms, kwargs, _s, o) => terms.map((t) => (o.env ?? process.env)[str(t)] ?? (kwargs.has('default') ? kwargs.get('default') : '')),
  vars: (terms, kwargs, state) =>
    terms.map((t) => {
      const v = state.host(str(t));
      if (v instanceof Undefined || typeof v === 'symbol') {
        if (kwargs.has('default')) return kwargs.get('default');
        throw new UndefinedError(`No variable found with this name: ${str(t)}`);
      }
      return v;
    }),
  file: (terms, kwargs, _s, o) =>
    terms.map((t) => {
      const path = findFile(o, 'files', str(t));
      if (!path) throw lookupError(`could not locate file in lookup: ${str(t)}`);
      let text = readFileSync(path, 'utf8');
      if (truthy(kwargs.get('lstrip') ?? false)) text = text.trimStart();
      if (truthy(kwargs.get('rstrip') ?? true)) text = text.trimEnd();
      return text;
    }),
  template: (terms, _k, state, o) =>
    terms.map((t) => {
      const path = findFile(o, 'templates', str(t));
      if (!path) throw lookupError(`the template file ${str(t)} could not be found for the lookup`);
      if (!o.renderTemplate) throw lookupError('the template lookup is not available here');
      return o.renderTemplate(readFileSync(path, 'utf8'), str(t), state, [dirname(path), ...(o.searchPath ?? [])]);
    }),
  first_found: (terms, kwargs, _s, o) => {
    const names: string[] = [];
    for (const t of terms.flatMap((x) => (Array.isArray(x) ? x : [x]))) {
      if (isDict(t)) {
        const files = ([] as unknown[]).concat(t.get('files') ?? []).flatMap((f) => str(f).split(/[,;]/));
        const paths = ([] as unknown[]).concat(t.get('paths') ?? []).flatMap((p) => str(p).split(/[,:;]/));
        for (const f of files) names.push(...(paths.length ? paths.map((p) => join(str(p), f)) : [f]));
      } else names.push(...str(t).split(/[,;]/));
    }
    for (const n of names) {
      const path = findFile(o, 'files', n.trim());
      if (path) return [path];
    }
    if (truthy(kwargs.get('skip') ?? false)) return [];
    throw new PyError('AnsibleLookupError', 'No file was found when using first_found.', 'AnsibleLookupError');
  },
  fileglob: (terms, _k, _s, o) =>
    terms.flatMap((t) => {
      const pattern = str(t);
      const dirs = isAbsolute(pattern) ? [dirname(pattern)] : (o.searchPath ?? []).flatMap((d) => [join(d, 'files', dirname(pattern)), join(d, dirname(pattern))]);
      for (const dir of dirs) {
        if (!existsSync(dir)) continue;
        const re = globToRegExp(basename(pattern));
        // In the directory's own order, as Python's glob gives them (readdirSync sorts).
        const found = unsortedEntries(dir).filter((f) => re.test(f) && statSync(join(dir, f)).isFile()).map((f) => join(dir, f));
        if (found.length) return found;
      }
      return [];
    }),
  items: (terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])),
  list: (terms) => terms,
  indexed_items: (terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])).map((x, i) => PyTuple.of2(i, x)),
  dict: (terms) =>
    terms.flatMap((t) => {
      if (!isDict(t)) throw lookupError(`with_dict expects a dict`);
      return [...t].map(([k, v]) => new Map<unknown, unknown>([['key', k], ['value', v]]));
    }),
  pipe: (terms, _k, _s, o) => terms.map((t) => run(str(t), o).replace(/\n+$/, '')),
  password: passwordLookup,
  together,
  nested,
  subelements,
  sequence,
  lines: (terms, _k, _s, o) => terms.flatMap((t) => run(str(t), o).split('\n').filter((l, i, all) => i < all.length - 1 || l !== '')),
};

function run(command: string, o: LookupOptions): string {
  if (!o.commands) throw lookupError(`lookup of a command (${command}) is not allowed here`);
  try {
    return execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 60_000 });
  } catch (e) {
    throw lookupError(`lookup_plugin.pipe(${command}) returned ${(e as { status?: number }).status ?? 'an error'}`);
  }
}

/**
 * A lookup in a task (no search path given by the caller) looks where Ansible's does: the
 * role's directory when the task is a role's, then the playbook's (role_path and
 * playbook_dir, the magic variables); each with its files/ (templates/, …) first.
 */
function withSearchPath(options: LookupOptions, state: RenderState): LookupOptions {
  if (options.searchPath !== undefined) return options;
  const dirs = ['role_path', 'playbook_dir'].map((n) => state.host(n)).filter((d): d is string => typeof d === 'string');
  return dirs.length > 0 ? { ...options, searchPath: dirs } : options;
}

function runLookup(name: string, args: unknown[], kwargs: Map<string, unknown>, state: RenderState, options: LookupOptions, wantlist: boolean): unknown {
  const plugin = PLUGINS[name.replace(/^ansible\.builtin\./, '')];
  if (!plugin) throw new TemplateError(`lookup plugin (${name}) not found`, 'AnsibleError');
  const terms = args;
  for (const t of terms) if (t instanceof Undefined) t.fail();
  const opts = new Map(kwargs);
  const list = truthy(opts.get('wantlist') ?? false) || wantlist;
  const errors = str(opts.get('errors') ?? 'strict');
  opts.delete('wantlist');
  opts.delete('errors');
  let ran: unknown[];
  try {
    ran = plugin(terms, opts, state, withSearchPath(options, state));
  } catch (e) {
    // errors='warn'/'ignore' turn a failing lookup into nothing; undefined values still fail.
    if (errors === 'strict' || e instanceof UndefinedError || !(e instanceof TemplateError)) throw e;
    return list ? [] : null;
  }
  // An empty result is returned as it is; otherwise lookup joins strs, unwraps one item.
  if (list || ran.length === 0) return ran;
  if (ran.every((x) => typeof x === 'string')) return ran.join(',');
  return ran.length === 1 ? ran[0] : ran;
}

export function lookupGlobals(options: LookupOptions): Record<string, unknown> {
  const call = (wantlist: boolean) => (state: RenderState, args: unknown[], kwargs: Map<string, unknown>) => {
    if (args.length === 0) throw new PyError('TypeError', 'lookup() missing 1 required positional argument');
    return runLookup(str(args[0]), args.slice(1), kwargs, state, options, wantlist);
  };
  return { lookup: new StateCallable('lookup', call(false)), query: new StateCallable('query', call(true)), q: new StateCallable('q', call(true)) };
}

/** Names of the lookup plugins tend has (a `with_NAME` loop needs one). */
export const LOOKUP_PLUGINS: readonly string[] = Object.keys(PLUGINS);
