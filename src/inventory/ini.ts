// Ansible INI inventories, read unchanged:
//   host1 ansible_host=10.0.0.1 ansible_port=2222
//   [web]            hosts, one a line, with key=value variables
//   web[01:03].lab   numeric and alphabetic ranges
//   [web:vars]       variables of a group
//   [prod:children]  groups inside a group
import { InputError } from '../errors.ts';
import type { RawGroup, RawHost, Vars } from './model.ts';
import { emptyVars } from '../vars.ts';

type SectionKind = 'hosts' | 'vars' | 'children';

export function parseIniInventory(file: string, text: string): { groups: RawGroup[]; hosts: RawHost[] } {
  const groups: RawGroup[] = [];
  const hosts: RawHost[] = [];
  let group: RawGroup = { name: 'ungrouped', vars: {}, hosts: [], children: [] };
  let kind: SectionKind = 'hosts';
  groups.push(group);

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const indent = raw.length - raw.trimStart().length;
    const content = stripComment(raw).trim();
    if (content === '') return;
    const at = (col: number) => ({ file, line, col });

    if (content.startsWith('[')) {
      const m = /^\[([^\]:\s]+)(?::(vars|children))?\]$/.exec(content);
      if (!m) {
        throw new InputError(
          `section header '${content}' is not [group], [group:vars] or [group:children]`,
          at(indent + 1),
        );
      }
      kind = (m[2] as SectionKind | undefined) ?? 'hosts';
      group = { name: m[1]!, vars: {}, hosts: [], children: [], location: at(indent + 1) };
      groups.push(group);
      return;
    }

    if (kind === 'vars') {
      const eq = content.indexOf('=');
      if (eq <= 0) throw new InputError(`expected 'name=value' in [${group.name}:vars]`, at(indent + 1));
      group.vars[content.slice(0, eq).trim()] = parseValue(content.slice(eq + 1).trim());
      return;
    }
    if (kind === 'children') {
      if (/\s/.test(content)) throw new InputError(`expected one group name a line in [${group.name}:children]`, at(indent + 1));
      group.children.push(content);
      return;
    }

    const words = splitWords(content);
    const pattern = words.shift()!;
    const vars: Vars = emptyVars();
    let col = indent + 1 + pattern.length + 1;
    for (const w of words) {
      const col0 = raw.indexOf(w, col - 1) + 1;
      const eq = w.indexOf('=');
      if (eq <= 0) throw new InputError(`expected 'name=value' after host '${pattern}', found '${w}'`, at(col0));
      vars[w.slice(0, eq)] = parseValue(w.slice(eq + 1));
      col = col0 + w.length;
    }
    for (const name of expandRange(pattern, at(indent + 1))) {
      group.hosts.push(name);
      hosts.push({ name, vars: { ...vars }, location: at(indent + 1) });
    }
  });
  return { groups: groups.filter((g) => g.name !== 'ungrouped' || g.hosts.length > 0), hosts };
}

function stripComment(line: string): string {
  const t = line.trimStart();
  if (t.startsWith('#') || t.startsWith(';')) return '';
  // ' #' starts a trailing comment outside quotes.
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && i > 0 && /\s/.test(line[i - 1]!)) return line.slice(0, i);
  }
  return line;
}

function splitWords(s: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (const c of s) {
    if (quote) {
      current += c;
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (/\s/.test(c)) {
      if (current) words.push(current);
      current = '';
    } else current += c;
  }
  if (current) words.push(current);
  return words;
}

function parseValue(v: string): unknown {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  if (/^-?\d+$/.test(v)) return Number(v);
  if (v === 'True' || v === 'true') return true;
  if (v === 'False' || v === 'false') return false;
  return v;
}

/** More hosts than this from one line is a typo, not a fleet. */
const MAX_RANGE_HOSTS = 100_000;

function expandRange(pattern: string, location: { file: string; line: number; col: number }): string[] {
  const m = /^(.*)\[([^:\]]+):([^:\]]+)(?::(\d+))?\](.*)$/.exec(pattern);
  if (!m) return [pattern];
  const [, head, from, to, stepText, tail] = m as unknown as [string, string, string, string, string | undefined, string];
  const step = stepText ? Number(stepText) : 1;
  if (!(step >= 1)) throw new InputError(`host range '${pattern}': the step must be 1 or more`, location);
  const numeric = /^\d+$/.test(from) && /^\d+$/.test(to);
  const span = numeric ? Number(to) - Number(from) : to.charCodeAt(0) - from.charCodeAt(0);
  if (Math.floor(span / step) + 1 > MAX_RANGE_HOSTS) throw new InputError(`host range '${pattern}' makes more than ${MAX_RANGE_HOSTS} hosts`, location);
  const out: string[] = [];
  if (numeric) {
    const width = from.length;
    for (let n = Number(from); n <= Number(to); n += step) out.push(`${head}${String(n).padStart(width, '0')}${tail}`);
  } else if (/^[a-z]$/i.test(from) && /^[a-z]$/i.test(to)) {
    for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c += step) out.push(`${head}${String.fromCharCode(c)}${tail}`);
  } else throw new InputError(`host range '[${from}:${to}]' must be numbers or single letters`, location);
  if (out.length === 0) throw new InputError(`host range '${pattern}' is empty`, location);
  // Every name has the same ranges left: the first one tells how many each makes.
  const inner = expandRange(out[0]!, location).length;
  if (out.length * inner > MAX_RANGE_HOSTS) throw new InputError(`host range '${pattern}' makes more than ${MAX_RANGE_HOSTS} hosts`, location);
  return out.flatMap((name) => expandRange(name, location));
}
