// The `version` test: Ansible compares with distutils' LooseVersion unless told otherwise
// (strict, semver). LooseVersion splits into numbers and letter runs and compares the lists
// as Python would, so an int against a str is a TypeError Ansible reports as such.
import { PyError } from './errors.ts';
import { compare, str } from './values.ts';

const OPS: Record<string, (c: number) => boolean> = {
  '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0,
  '<': (c) => c < 0, lt: (c) => c < 0, '<=': (c) => c <= 0, le: (c) => c <= 0,
  '>': (c) => c > 0, gt: (c) => c > 0, '>=': (c) => c >= 0, ge: (c) => c >= 0,
  '!=': (c) => c !== 0, '<>': (c) => c !== 0, ne: (c) => c !== 0,
};

function loose(v: string): unknown[] {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

function strict(v: string): unknown[] {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(v);
  if (!m) throw new PyError('ValueError', `invalid version number '${v}'`);
  // A final release sorts after its pre-releases: ('~' > 'a', 'b').
  return [Number(m[1]), Number(m[2]), Number(m[4] ?? 0), m[5] ? m[5][0] : '~', Number(m[6] ?? 0)];
}

function semver(v: string): unknown[] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([\w.-]+))?(?:\+[\w.-]+)?$/.exec(v);
  if (!m) throw new PyError('ValueError', `invalid semantic version '${v}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : 0, m[4] ?? ''];
}

export function compareVersions(value: unknown, version: unknown, op: string, isStrict: boolean, type: string | null): boolean {
  const check = OPS[op];
  if (!check) throw new PyError('AnsibleFilterError', `Invalid operator type (${op}). Must be one of <, <=, lt, le, >, >=, gt, ge, ==, =, eq, !=, <>, ne`, 'AnsibleFilterError');
  const kind = type ?? (isStrict ? 'strict' : 'loose');
  const parse = kind === 'strict' ? strict : kind === 'semver' || kind === 'semantic' ? semver : loose;
  const a = str(value);
  const b = str(version);
  if (a === '' || b === '') throw new PyError('AnsibleFilterError', 'Version comparison failed: version value cannot be empty', 'AnsibleFilterError');
  try {
    return check(compare(parse(a), parse(b)));
  } catch (e) {
    throw new PyError('AnsibleFilterError', `Version comparison failed: ${(e as Error).message}`, 'AnsibleFilterError');
  }
}
