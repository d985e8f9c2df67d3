// `with_NAME:` loops, as ansible-core 2.14 runs them (TaskExecutor._get_loop_items): the
// terms are templated (a string stripped first), a string or scalar result becomes a
// one-item list (listify_lookup_plugin_terms), and the lookup plugin NAME makes the items
// (with_items flattens one level, with_dict gives key/value pairs, with_nested the
// combinations, …). Files are looked for in the role's directory, then beside the task's
// file, as lookups in tasks are.
import { dirname } from 'node:path';
import { compileExpression, LOOKUP_PLUGINS, type CompiledExpression, type Lookup } from '../template/index.ts';
import { TEND_FILTERS } from '../template/filters/tend.ts';
import type { TaskSpec } from './plays.ts';
import { render } from './template.ts';

export { LOOKUP_PLUGINS };

// The plugin runs as lookup() would run it, with the terms as its positional arguments.
const CALL = 'lookup(__tend_with_plugin, *__tend_with_terms, wantlist=True)';
const compiled = new Map<string, CompiledExpression>();

function caller(searchPath: readonly string[]): CompiledExpression {
  const key = searchPath.join('\0');
  let found = compiled.get(key);
  if (!found) {
    found = compileExpression(CALL, { filters: TEND_FILTERS, searchPath: [...searchPath], lookups: { searchPath: [...searchPath] } });
    if (compiled.size >= 1000) compiled.clear();
    compiled.set(key, found);
  }
  return found;
}

/** Where a task's `with_` lookups look for files. */
export function lookupSearchPath(spec: Pick<TaskSpec, 'scope' | 'source'>): string[] {
  return [...(spec.scope?.path ? [spec.scope.path] : []), dirname(spec.source.file)];
}

/** The items of `with_PLUGIN: terms` for this lookup of variables. */
export function withLoopItems(plugin: string, terms: unknown, lookup: Lookup, searchPath: readonly string[]): unknown {
  const rendered = render(typeof terms === 'string' ? terms.trim() : terms, lookup);
  let list: unknown[];
  if (Array.isArray(rendered)) list = rendered;
  else if (rendered !== null && typeof rendered === 'object') list = plugin === 'dict' ? [rendered] : Object.keys(rendered);
  else list = [rendered];
  return caller(searchPath).evaluate((name) => (name === '__tend_with_plugin' ? plugin : name === '__tend_with_terms' ? list : lookup(name)));
}
