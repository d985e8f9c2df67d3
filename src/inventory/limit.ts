// --limit: host and group names, comma (or colon) separated; `!name` excludes,
// `&name` intersects, `*` globs — the way Ansible reads its host patterns.
import { InputError } from '../errors.ts';
import { globToRegExp } from '../glob.ts';
import type { Host, Inventory } from './model.ts';

export function selectHosts(inventory: Inventory, pattern: string | undefined, playHosts = 'all'): Host[] {
  const inPlay = resolve(inventory, playHosts, 'hosts:');
  const limited = pattern === undefined || pattern.trim() === '' ? inPlay : resolve(inventory, pattern, '--limit');
  const allowed = new Set(limited);
  return inPlay.filter((name) => allowed.has(name)).map((name) => inventory.hosts.get(name)!);
}

/** Host names matched by a pattern, in inventory order. Unknown names are an error. */
export function resolve(inventory: Inventory, pattern: string, what: string): string[] {
  const syntax = patternSyntaxError(pattern);
  if (syntax) throw new InputError(`${what} ${syntax}`);
  const terms = pattern
    .split(/[,:]/)
    .map((t) => t.trim())
    .filter(Boolean);
  if (terms.length === 0) throw new InputError(`${what} '${pattern}' names no host or group`);
  let selected = new Set<string>();
  const positive = terms.filter((t) => !t.startsWith('!') && !t.startsWith('&'));
  if (positive.length === 0) selected = new Set(inventory.hosts.keys());
  for (const t of positive) for (const h of match(inventory, t, what)) selected.add(h);
  for (const t of terms.filter((t) => t.startsWith('&'))) {
    const keep = new Set(match(inventory, t.slice(1), what));
    selected = new Set([...selected].filter((h) => keep.has(h)));
  }
  for (const t of terms.filter((t) => t.startsWith('!'))) for (const h of match(inventory, t.slice(1), what)) selected.delete(h);
  return [...inventory.hosts.keys()].filter((h) => selected.has(h));
}

/**
 * What is wrong with a pattern's syntax, found before any inventory is read: an empty
 * term, a lone `!` or `&`, brackets (Ansible's slices, not supported yet), a `~regex`
 * (not supported yet) or an `@file`.
 */
export function patternSyntaxError(pattern: string): string | undefined {
  const terms = pattern.split(/[,:]/).map((t) => t.trim());
  if (terms.every((t) => t === '')) return `host pattern '${pattern}' names no host or group`;
  for (const term of terms) {
    const name = term.replace(/^[!&]/, '');
    if (term === '' && pattern.trim() !== '') return `host pattern '${pattern}' has an empty term (two separators in a row)`;
    if (term !== '' && name === '') return `host pattern '${pattern}': '${term}' needs a host or group name after it`;
    if (/[[\]]/.test(name)) return `host pattern '${pattern}': '${term}' uses brackets; slices like web[0:2] are not supported yet`;
    if (name.startsWith('~')) return `host pattern '${pattern}': regular expressions (~…) are not supported yet`;
    if (name.startsWith('@')) return `host pattern '${pattern}': @files are not supported yet`;
  }
  return undefined;
}

function match(inventory: Inventory, term: string, what: string): string[] {
  if (term.includes('*') || term.includes('?')) {
    const re = globToRegExp(term);
    const groups = [...inventory.groups.keys()].filter((g) => re.test(g)).flatMap((g) => inventory.groups.get(g)!);
    const hosts = [...inventory.hosts.keys()].filter((h) => re.test(h));
    return [...new Set([...groups, ...hosts])];
  }
  const group = inventory.groups.get(term);
  if (group) return group;
  if (inventory.hosts.has(term)) return [term];
  throw new InputError(`${what} '${term}' is neither a host nor a group of ${inventory.file}`);
}
