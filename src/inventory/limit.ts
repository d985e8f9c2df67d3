// Host patterns (a play's `hosts:`, --limit) resolved as Ansible 2.14 resolves them:
//   a,b  or  a:b        union (a comma anywhere makes commas the only separator)
//   &a   !a             intersection, exclusion — applied after every union term
//   web*  db?  w[12]*   shell globs on group and host names
//   ~web0[1-3]          a regular expression (matched from the name's start)
//   web[0]  web[-1]  web[1:3]  web[2:]   a group's hosts by position
//   @file               the patterns listed in a file, one a line (--limit only)
// A host named exactly wins over a pattern; `all` is every host; an unknown name in a
// union is skipped with a warning. localhost, 127.0.0.1 and ::1 are this machine when
// the inventory does not name them.
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { parseAddress } from './address.ts';
import type { Host, Inventory } from './model.ts';

const LOCALHOST = new Set(['localhost', '127.0.0.1', '::1']);
const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

export interface Selection {
  hosts: Host[];
  /** Union terms that matched nothing: Ansible warns about them and goes on. */
  warnings: string[];
}

/** The hosts of a play (`hosts:`) narrowed by --limit, in the play pattern's order. */
export function selectHosts(inventory: Inventory, limit: string | undefined, playHosts = 'all', warn = defaultWarn): Host[] {
  const play = resolveHosts(inventory, splitPattern(playHosts), 'hosts:');
  let hosts = play.hosts;
  const warnings = [...play.warnings];
  if (limit !== undefined && limit.trim() !== '') {
    const limited = resolveHosts(inventory, limitPatterns(limit), '--limit');
    warnings.push(...limited.warnings);
    const allowed = new Set(limited.hosts.map((h) => h.name));
    hosts = hosts.filter((h) => allowed.has(h.name));
  }
  for (const w of new Set(warnings)) warn(w);
  return hosts;
}

function defaultWarn(message: string): void {
  process.stderr.write(`tend: warning: ${message}\n`);
}

/** A pattern → its terms, the way Ansible's split_host_pattern splits it. */
export function splitPattern(pattern: string): string[] {
  let terms: string[];
  if (pattern.includes(',')) terms = pattern.split(',');
  else if (parseAddress(pattern)) terms = [pattern];
  else terms = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return terms.map((t) => t.trim()).filter(Boolean);
}

/** --limit terms, with `@file` replaced by the file's lines. */
function limitPatterns(limit: string): string[] {
  return splitPattern(limit).flatMap((term) => {
    if (!term.startsWith('@')) return [term];
    const file = term.slice(1);
    try {
      if (!statSync(file).isFile()) throw new InputError(`--limit ${term}: not a file`);
      return readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`--limit ${term}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
  });
}

/** What is wrong with a pattern's syntax, found before any inventory is read. */
export function patternSyntaxError(pattern: string): string | undefined {
  const terms = splitPattern(pattern);
  if (terms.length === 0) return `host pattern '${pattern}' names no host or group`;
  for (const term of terms) {
    const body = term.replace(/^[!&]/, '');
    if (body === '') return `host pattern '${pattern}': '${term}' needs a host or group name after it`;
    if (body.startsWith('~')) {
      try {
        pythonRegex(body.slice(1));
      } catch {
        return `host pattern '${pattern}': '${body}' is not a regular expression tend can read`;
      }
    }
  }
  return undefined;
}

/** Host names a list of terms selects: unions first, then intersections, then exclusions. */
export function resolveHosts(inventory: Inventory, terms: readonly string[], what: string): Selection {
  const union = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  const ordered = [...(union.length > 0 ? union : ['all']), ...terms.filter((t) => t.startsWith('&')), ...terms.filter((t) => t.startsWith('!'))];
  const warnings: string[] = [];
  let names: string[] = [];
  for (const term of ordered) {
    if (inventory.hosts.has(term)) {
      if (!names.includes(term)) names.push(term);
      continue;
    }
    const matched = matchOne(inventory, term.replace(/^[!&]/, ''), what, warnings);
    if (term.startsWith('!')) names = names.filter((n) => !matched.includes(n));
    else if (term.startsWith('&')) names = names.filter((n) => matched.includes(n));
    else for (const n of matched) if (!names.includes(n)) names.push(n);
  }
  return { hosts: names.map((n) => inventory.hosts.get(n) ?? implicitLocalhost(n)), warnings };
}

function matchOne(inventory: Inventory, term: string, what: string, warnings: string[]): string[] {
  let expr = term;
  let subscript: [number, number | undefined] | undefined;
  if (!term.startsWith('~')) {
    const m = SUBSCRIPT.exec(term);
    if (m) {
      expr = m[1]!;
      subscript = m[2] !== undefined ? [Number(m[2]), undefined] : [Number(m[3]), m[5] ? Number(m[5]) : -1];
    }
  }
  const re = expr.startsWith('~') ? compile(() => pythonRegex(expr.slice(1)), what, term) : compile(() => globRegex(expr), what, term);
  const groups = [...inventory.groups.keys()].filter((g) => re.test(g));
  let results: string[] = groups.flatMap((g) => inventory.groups.get(g)!);
  if (groups.length === 0 || expr.startsWith('~') || /[.?*[]/.test(expr)) {
    results.push(...[...inventory.hosts.keys()].filter((h) => re.test(h)));
  }
  if (results.length === 0 && LOCALHOST.has(expr)) results = [expr];
  if (results.length === 0 && groups.length === 0 && expr !== 'all') warnings.push(`${what} '${expr}' matches no host or group of ${inventory.file}; ignored`);
  results = [...new Set(results)];
  if (subscript === undefined || results.length === 0) return results;
  const [start, end] = subscript;
  // A position past the end selects nothing, as in Ansible (which then says no host matched).
  // `[x:0]` is `[x]`: Ansible tests `if end:`, and 0 is false.
  if (end === undefined || end === 0) {
    const one = results.at(start);
    return one === undefined ? [] : [one];
  }
  return results.slice(start, (end === -1 ? results.length - 1 : end) + 1);
}

function compile(make: () => RegExp, what: string, term: string): RegExp {
  try {
    return make();
  } catch {
    throw new InputError(`${what} '${term}' is not a valid pattern`);
  }
}

/**
 * fnmatch: `*`, `?`, `[seq]`, `[!seq]`, matching the whole name, case-sensitive; the set
 * syntax as Python's fnmatch.translate reads it: a `]` first in a set (or right after `[!`)
 * is a member, a `[` without its `]` is itself, reversed ranges (`z-a`) are dropped, a set
 * left empty matches nothing and `[!]` any character (when a later `]` closes it).
 */
function globRegex(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      let close = i + 1;
      if (glob[close] === '!') close++;
      if (glob[close] === ']') close++;
      close = glob.indexOf(']', close);
      if (close < 0) out += '\\[';
      else {
        out += globSet(glob.slice(i + 1, close));
        i = close;
      }
    } else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^(?:${out})$`, 's');
}

/** The regular expression of one fnmatch set, `[` and `]` left off (fnmatch.translate). */
function globSet(body: string): string {
  const negated = body.startsWith('!');
  const members = negated ? body.slice(1) : body;
  // The set split at each range's `-` (fnmatch's chunks); a range whose ends are reversed
  // is dropped, joining the pieces around it.
  const chunks: string[] = [];
  let from = 0;
  for (let k = members.indexOf('-', 1); k >= 0; k = members.indexOf('-', k + 3)) {
    chunks.push(members.slice(from, k));
    from = k + 1;
  }
  const last = members.slice(from);
  if (chunks.length === 0 || last !== '') chunks.push(last);
  else chunks[chunks.length - 1] += '-';
  for (let k = chunks.length - 1; k > 0; k--) {
    if (chunks[k - 1]!.at(-1)! > chunks[k]![0]!) {
      chunks[k - 1] = chunks[k - 1]!.slice(0, -1) + chunks[k]!.slice(1);
      chunks.splice(k, 1);
    }
  }
  const set = chunks.map((s) => s.replace(/[\\\]^[-]/g, '\\$&')).join('-');
  if (set === '') return negated ? '.' : '(?!)';
  return `[${negated ? '^' : ''}${set}]`;
}

/**
 * A Python regular expression, as re.match applies it: anchored at the start only. Global
 * inline flags at the start, `(?i)` and the like, become the expression's flags (Python
 * allows them nowhere else); `x` (verbose) and `L` (bytes only) are refused.
 */
function pythonRegex(source: string): RegExp {
  let flags = '';
  let rest = source;
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(rest); m; m = /^\(\?([aiLmsux]+)\)/.exec(rest)) {
    for (const f of m[1]!) {
      if (f === 'x' || f === 'L') throw new SyntaxError(`inline flag ${f}`);
      if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    }
    rest = rest.slice(m[0].length);
  }
  const js = rest.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  return new RegExp(`^(?:${js})`, flags);
}

function implicitLocalhost(name: string): Host {
  return {
    name,
    connection: 'local',
    address: name,
    port: 22,
    user: 'root',
    groups: ['all'],
    vars: { inventory_hostname: name, group_names: [] },
  };
}
