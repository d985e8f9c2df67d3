// `block:` — tasks grouped under shared keywords, read statically as Ansible 2.14 reads
// them: each task of the block inherits the block's `when` (added to its own), `tags`,
// `vars` (the task's own win), `become`, `become_user`, `environment` (merged, the task's
// own win), `ignore_errors`, `no_log` and `check_mode` (the task's own win); blocks nest. `rescue:` and
// `always:` run only after a failure or in any case, which needs control flow at run time
// that tend does not have yet: they are refused with the reason, as is any other block
// keyword tend does not implement.
import type { YamlPath, YamlSource } from '../yaml-source.ts';
import type { BlockKeywords, Inherited, ReadContext } from './read-context.ts';
import type { TaskSpec } from './plays.ts';

type ReadList = (ctx: ReadContext, source: YamlSource, list: unknown[], path: YamlPath, next: { number: number }, inherited: Inherited) => TaskSpec[];

const BLOCK_KEYS = new Set(['block', 'name', 'when', 'tags', 'vars', 'become', 'become_user', 'environment', 'ignore_errors', 'no_log', 'check_mode']);
const NOT_YET: Record<string, string> = {
  rescue: "rescue: runs only when a task of the block failed, which needs control flow at run time that tend does not have yet",
  always: "always: runs whatever the block's tasks did, which needs control flow at run time that tend does not have yet",
};

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A mapping of variables, or undefined (complaining at `at` when it is something else). */
export function mappingOf(ctx: ReadContext, source: YamlSource, value: unknown, at: YamlPath): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (isMapping(value)) return value;
  ctx.errors.push(source.error('vars: a mapping of variable names to values', at));
  return undefined;
}

export function readBlock(ctx: ReadContext, source: YamlSource, entry: Record<string, unknown>, at: YamlPath, next: { number: number }, inherited: Inherited, readList: ReadList): TaskSpec[] {
  for (const key of Object.keys(entry)) {
    if (BLOCK_KEYS.has(key)) continue;
    const why = NOT_YET[key] ?? `'${key}' is not a block keyword tend has (it takes ${[...BLOCK_KEYS].join(', ')})`;
    ctx.errors.push(source.error(`block: ${why}`, [...at, key], true));
    return [];
  }
  if (!Array.isArray(entry.block)) {
    ctx.errors.push(source.error('block: a list of tasks', [...at, 'block']));
    return [];
  }
  const bad = (key: string, what: string) => {
    ctx.errors.push(source.error(`block: ${key}: ${what}`, [...at, key]));
    return [];
  };
  const keywords: BlockKeywords = { ...inherited.keywords };
  if (entry.become !== undefined) {
    if (typeof entry.become !== 'boolean') return bad('become', 'true or false');
    keywords.become = entry.become;
  }
  if (entry.become_user !== undefined) {
    if (typeof entry.become_user !== 'string' || !/^[a-z_][a-z0-9_.-]*\$?$/i.test(entry.become_user)) return bad('become_user', 'a user name');
    keywords.become_user = entry.become_user;
  }
  if (entry.ignore_errors !== undefined) {
    if (typeof entry.ignore_errors !== 'boolean' && typeof entry.ignore_errors !== 'string') return bad('ignore_errors', 'true, false, or one {{ expression }}');
    keywords.ignore_errors = entry.ignore_errors;
  }
  if (entry.check_mode !== undefined) {
    if (typeof entry.check_mode !== 'boolean') return bad('check_mode', 'true or false');
    keywords.check_mode = entry.check_mode;
  }
  if (entry.no_log !== undefined) {
    if (typeof entry.no_log !== 'boolean' && typeof entry.no_log !== 'string') return bad('no_log', 'true, false, or one {{ expression }}');
    keywords.no_log = entry.no_log;
  }
  if (entry.environment !== undefined) {
    const env = entry.environment;
    if (!isMapping(env) || Object.entries(env).some(([k, v]) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || !['string', 'number', 'boolean'].includes(typeof v))) {
      return bad('environment', 'a mapping of environment variable names to values');
    }
    keywords.environment = { ...inherited.keywords?.environment, ...(env as Record<string, string | number | boolean>) };
  }
  const vars = mappingOf(ctx, source, entry.vars, [...at, 'vars']);
  const tags = entry.tags === undefined || entry.tags === null ? [] : (Array.isArray(entry.tags) ? entry.tags : [entry.tags]).map(String);
  return readList(ctx, source, entry.block, [...at, 'block'], next, {
    ...inherited,
    tags: [...inherited.tags, ...tags],
    when: [...inherited.when, ...ctx.readConditions(source, entry.when, [...at, 'when'])],
    ...(vars ? { vars: { ...inherited.vars, ...vars } } : {}),
    keywords,
  });
}
