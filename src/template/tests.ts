// Tests (`x is defined`, `v is version('12', '>=')`): Jinja2's built-in ones and the
// ansible.builtin ones roles use, by every name Ansible accepts (FQCN too: filters/index.ts
// adds the ansible.builtin. spellings for both).
import { PyError, typeError } from './errors.ts';
import type { Scope, TestDef } from './eval.ts';
import { hasAttrs } from './objects.ts';
import { contains } from './ops.ts';
import { pyRegex } from './regex.ts';
import { compareVersions } from './version.ts';
import { eq, isCallable, isDict, isFloat, isInt, isNumber, lessThan, Namespace, num, str, truthy, typeName, Undefined } from './values.ts';
import { bind, REQUIRED } from './filters/util.ts';

type Fn = (ctx: Scope, value: unknown, ...args: unknown[]) => boolean;
const t = (name: string, names: string[], defaults: unknown[], fn: Fn, undefinedOk = false): TestDef => ({
  undefinedOk,
  fn: (ctx, value, args, kwargs) => fn(ctx, value, ...bind(name, args, kwargs, names, defaults)),
});
const simple = (fn: (v: unknown) => boolean, undefinedOk = true): TestDef => ({ undefinedOk, fn: (_c, v, args) => {
  if (args.length) throw typeError(`test takes 1 positional argument but ${args.length + 1} were given`);
  return fn(v);
} });

function regexTest(value: unknown, pattern: unknown, ignorecase: unknown, multiline: unknown, type: 'match' | 'search' | 'fullmatch'): boolean {
  const re = pyRegex(str(pattern), { ignorecase: truthy(ignorecase), multiline: truthy(multiline) });
  const s = str(value);
  if (type === 'search') return re.test(s);
  const anchored = new RegExp(`^(?:${re.source})${type === 'fullmatch' ? '$' : ''}`, re.flags.replace('m', '') + (re.flags.includes('m') ? 'm' : ''));
  if (type === 'match' && re.flags.includes('m')) return new RegExp(`^(?:${re.source})`, re.flags.replace('m', '')).test(s);
  return anchored.test(s);
}

function asSet(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isDict(v)) return [...v.keys()];
  if (typeof v === 'string') return [...v];
  throw typeError(`'${typeName(v)}' object is not iterable`);
}

const result = (key: string) => (v: unknown) => {
  if (!isDict(v)) throw new PyError('AnsibleFilterError', `The '${key}' test expects a dictionary`, 'AnsibleFilterError');
  return v;
};

export const TESTS = new Map<string, TestDef>(
  Object.entries({
    defined: simple((v) => !(v instanceof Undefined)),
    undefined: simple((v) => v instanceof Undefined),
    none: simple((v) => v === null),
    boolean: simple((v) => typeof v === 'boolean'),
    true: simple((v) => v === true),
    false: simple((v) => v === false),
    integer: simple((v) => isInt(v)),
    float: simple((v) => isFloat(v)),
    number: simple((v) => isNumber(v) || typeof v === 'boolean'),
    string: simple((v) => typeof v === 'string'),
    mapping: simple((v) => isDict(v)),
    sequence: simple((v) => typeof v === 'string' || Array.isArray(v) || isDict(v)),
    iterable: simple((v) => typeof v === 'string' || Array.isArray(v) || isDict(v), false),
    callable: simple((v) => isCallable(v) || (hasAttrs(v) && 'call' in (v as object))),
    lower: simple((v) => str(v) === str(v).toLowerCase(), false),
    upper: simple((v) => str(v) === str(v).toUpperCase(), false),
    escaped: simple(() => false),
    odd: simple((v) => num(v) % 2 !== 0, false),
    even: simple((v) => num(v) % 2 === 0, false),
    divisibleby: t('test_divisibleby', ['num'], [REQUIRED], (_c, v, n) => num(v) % num(n) === 0),
    sameas: t('test_sameas', ['other'], [REQUIRED], (_c, v, o) => v === o || (v instanceof Namespace && v === o), true),
    eq: t('eq', ['b'], [REQUIRED], (_c, v, o) => eq(v, o)),
    ne: t('ne', ['b'], [REQUIRED], (_c, v, o) => !eq(v, o)),
    lt: t('lt', ['b'], [REQUIRED], (_c, v, o) => lessThan(v, o)),
    le: t('le', ['b'], [REQUIRED], (_c, v, o) => !lessThan(o, v)),
    gt: t('gt', ['b'], [REQUIRED], (_c, v, o) => lessThan(o, v)),
    ge: t('ge', ['b'], [REQUIRED], (_c, v, o) => !lessThan(v, o)),
    in: t('test_in', ['seq'], [REQUIRED], (_c, v, s) => contains(s, v)),
    // Ansible's plugin lookup raises for a name it does not know, where Jinja2 says False.
    filter: t('test_filter', [], [], (c, v) => {
      if (!c.state.env.filters.has(str(v))) throw new PyError('TemplateSyntaxError', `Could not load "${str(v)}": '${str(v)}'`);
      return true;
    }),
    test: t('test_test', [], [], (c, v) => c.state.env.tests.has(str(v))),
    // ansible.builtin (core.py, mathstuff.py)
    match: t('match', ['pattern', 'ignorecase', 'multiline'], ['', false, false], (_c, v, p, i, m) => regexTest(v, p, i, m, 'match')),
    search: t('search', ['pattern', 'ignorecase', 'multiline'], ['', false, false], (_c, v, p, i, m) => regexTest(v, p, i, m, 'search')),
    regex: t('regex', ['pattern', 'ignorecase', 'multiline', 'match_type'], ['', false, false, 'search'], (_c, v, p, i, m, type) => regexTest(v, p, i, m, str(type) as 'search')),
    version: t('version_compare', ['version', 'operator', 'strict', 'version_type'], [REQUIRED, 'eq', false, null], (_c, v, ver, op, strict, type) =>
      compareVersions(v, ver, str(op), truthy(strict), type === null ? null : str(type)),
    ),
    subset: t('issubset', ['b'], [REQUIRED], (_c, a, b) => asSet(a).every((x) => asSet(b).some((y) => eq(x, y)))),
    superset: t('issuperset', ['b'], [REQUIRED], (_c, a, b) => asSet(b).every((x) => asSet(a).some((y) => eq(x, y)))),
    contains: t('contains', ['value'], [REQUIRED], (_c, seq, value) => contains(seq, value)),
    any: simple((v) => asSet(v).some(truthy), false),
    all: simple((v) => asSet(v).every(truthy), false),
    truthy: t('truthy', ['convert_bool'], [false], (_c, v) => truthy(v)),
    falsy: t('falsy', ['convert_bool'], [false], (_c, v) => !truthy(v)),
    nan: simple((v) => isFloat(v) && Number.isNaN(num(v)), false),
    failed: simple((v) => truthy(result('failed')(v).get('failed') ?? false), false),
    succeeded: simple((v) => !truthy(result('succeeded')(v).get('failed') ?? false), false),
    changed: simple((v) => truthy(result('changed')(v).get('changed') ?? false), false),
    skipped: simple((v) => truthy(result('skipped')(v).get('skipped') ?? false), false),
    finished: simple((v) => !truthy(result('finished')(v).get('finished') === 0), false),
    abs: simple((v) => str(v).startsWith('/'), false),
    vault_encrypted: simple(() => false),
  }),
);
const ALIASES: Record<string, string> = {
  '==': 'eq', equalto: 'eq', '!=': 'ne', '<': 'lt', lessthan: 'lt', '<=': 'le', '>': 'gt', greaterthan: 'gt', '>=': 'ge',
  issubset: 'subset', issuperset: 'superset', version_compare: 'version', failure: 'failed', success: 'succeeded',
  successful: 'succeeded', change: 'changed', skip: 'skipped', is_abs: 'abs', isnan: 'nan',
};
for (const [alias, name] of Object.entries(ALIASES)) TESTS.set(alias, TESTS.get(name)!);
// Only Ansible's own tests have FQCN names; Jinja2's (defined, none, …) do not.
const ANSIBLE_BUILTIN = `failed failure succeeded success successful changed change skipped skip finished started regex
  match search version version_compare any all truthy falsy vault_encrypted abs is_abs subset issubset superset
  issuperset contains nan isnan directory is_dir file is_file link is_link exists link_exists same_file mount uri url urn`.split(/\s+/);
for (const name of ANSIBLE_BUILTIN) if (TESTS.has(name)) TESTS.set(`ansible.builtin.${name}`, TESTS.get(name)!);
