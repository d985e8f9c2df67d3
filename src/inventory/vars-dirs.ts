// group_vars/ and host_vars/ beside an inventory file, read as Ansible's host_group_vars
// plugin reads them: for a group or host NAME, the first of `NAME`, `NAME.yml`,
// `NAME.yaml`, `NAME.json` that exists — a file, or a directory whose files (sorted,
// recursively; hidden ones and backups~ skipped; no extension or one of those) are
// merged in order. Each file is YAML (1.1 scalars, as PyYAML reads them) holding a
// mapping.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { InputError } from '../errors.ts';
import { emptyVars, mergeVars, type VarMap } from '../vars.ts';
import { YamlSource } from '../yaml-source.ts';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

export class VarsDirs {
  private readonly cache = new Map<string, VarMap | undefined>();

  constructor(private readonly base: string) {}

  /** Whether there is anything to read at all. */
  get present(): boolean {
    return existsSync(join(this.base, 'group_vars')) || existsSync(join(this.base, 'host_vars'));
  }

  group(name: string): VarMap | undefined {
    return this.read('group_vars', name);
  }

  host(name: string): VarMap | undefined {
    return this.read('host_vars', name);
  }

  private read(kind: 'group_vars' | 'host_vars', name: string): VarMap | undefined {
    const key = `${kind}/${name}`;
    if (!this.cache.has(key)) this.cache.set(key, load(join(this.base, kind, name)));
    return this.cache.get(key);
  }
}

function load(path: string): VarMap | undefined {
  for (const ext of EXTENSIONS) {
    const candidate = `${path}${ext}`;
    if (!existsSync(candidate)) continue;
    const files = statSync(candidate).isDirectory() ? filesIn(candidate) : [candidate];
    const vars = emptyVars();
    for (const file of files) {
      const source = YamlSource.load(file, undefined, { yaml11: true });
      const data = source.toJS();
      if (data === null || data === undefined) continue;
      if (typeof data !== 'object' || Array.isArray(data)) throw new InputError(`${file} must hold a mapping of variables`, source.locate([]));
      mergeVars(vars, data as VarMap);
    }
    return vars;
  }
  return undefined;
}

function filesIn(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const full = join(dir, entry);
    const ext = extname(entry);
    if (statSync(full).isDirectory()) {
      if (!ext) out.push(...filesIn(full));
    } else if (!ext || EXTENSIONS.includes(ext)) out.push(full);
  }
  return out;
}
