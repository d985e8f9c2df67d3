// `{{ expression }}` in playbook values, a small and strict subset of Jinja2:
//   {{ name }}  {{ a.b }}  {{ a['b'] }}  {{ a[b] }}  {{ 'literal' }}  {{ 42 }}
//   filters: default(x) · lower · upper · join(sep) · string · int · bool · fqdn(domain)
// A string that is one whole expression keeps the value's type (a list stays a list);
// an expression inside other text is converted to text. Undefined names are errors.
import { emptyVars, mergeVars } from '../vars.ts';


export type Lookup = (name: string) => unknown;

export class TemplateError extends Error {}

const EXPRESSION = /\{\{(.*?)\}\}/gs;
const UNDEFINED = Symbol('undefined');
type Value = unknown;

export function hasTemplate(v: unknown): boolean {
  return typeof v === 'string' && v.includes('{{');
}

/** Renders every string inside `value` (objects and arrays walked). */
export function render(value: unknown, lookup: Lookup): unknown {
  if (typeof value === 'string') return renderString(value, lookup);
  if (Array.isArray(value)) return value.map((v) => render(v, lookup));
  if (value && typeof value === 'object') {
    // Keys are rendered too: `"{{ port }}/inet": …` names a master.cf service.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [hasTemplate(k) ? toText(renderString(k, lookup)) : k, render(v, lookup)]));
  }
  return value;
}

export function renderString(text: string, lookup: Lookup): unknown {
  const whole = /^\{\{(.*?)\}\}$/s.exec(text);
  if (whole && !whole[1]!.includes('}}')) return evaluate(whole[1]!, lookup);
  return text.replace(EXPRESSION, (_, expr: string) => toText(evaluate(expr, lookup)));
}

/** Names an expression reads, for validation without a host. */
export function referencedNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(EXPRESSION)) {
    const tokens = tokenize(m[1]!);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const prev = tokens[i - 1];
      if (t.type === 'name' && prev?.value !== '.' && prev?.value !== '|') names.push(t.value);
    }
  }
  return names;
}

function toText(v: Value): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

interface Token {
  type: 'name' | 'string' | 'number' | 'punct';
  value: string;
}

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)|([.|()[\],]))/y;
  let pos = 0;
  while (pos < expr.length) {
    if (/^\s*$/.test(expr.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(expr);
    if (!m) throw new TemplateError(`cannot read '{{${expr}}}' near '${expr.slice(pos).trim()}'`);
    pos = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ type: 'name', value: m[1] });
    else if (m[2] !== undefined) tokens.push({ type: 'string', value: m[2].replace(/\\(.)/g, '$1') });
    else if (m[3] !== undefined) tokens.push({ type: 'string', value: m[3].replace(/\\(.)/g, '$1') });
    else if (m[4] !== undefined) tokens.push({ type: 'number', value: m[4] });
    else tokens.push({ type: 'punct', value: m[5]! });
  }
  return tokens;
}

/** Throws a TemplateError when an expression in `text` cannot be read; needs no variables. */
export function checkSyntax(text: string): void {
  for (const m of text.matchAll(EXPRESSION)) evaluate(m[1]!, () => ANY, true);
  if (/\{\{(?![\s\S]*\}\})/.test(text)) throw new TemplateError(`'{{' without '}}' in '${text}'`);
}

/** Variables an expression needs: names it reads that no `default` filter covers. */
export function requiredNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(EXPRESSION)) {
    if (/\|\s*(default|d)\b/.test(m[1]!)) continue;
    names.push(...referencedNames(`{{${m[1]}}}`));
  }
  return names;
}

function evaluate(expr: string, lookup: Lookup, dry = false): Value {
  const tokens = tokenize(expr);
  let i = 0;
  const peek = () => tokens[i];
  const take = (punct?: string): Token => {
    const t = tokens[i];
    if (!t || (punct !== undefined && t.value !== punct)) {
      throw new TemplateError(`in '{{${expr}}}': expected ${punct ? `'${punct}'` : 'more'}`);
    }
    i++;
    return t;
  };

  const primary = (): Value => {
    const t = take();
    if (t.type === 'string') return t.value;
    if (t.type === 'number') return Number(t.value);
    if (t.type === 'name') {
      if (t.value === 'true' || t.value === 'True') return true;
      if (t.value === 'false' || t.value === 'False') return false;
      if (t.value === 'none' || t.value === 'None') return null;
      let v: Value = lookup(t.value);
      let path = t.value;
      for (;;) {
        const n = peek();
        if (n?.value === '.') {
          take('.');
          const key = take().value;
          path += `.${key}`;
          v = member(v, key);
        } else if (n?.value === '[') {
          take('[');
          const key = primaryOrExpr();
          take(']');
          path += `[${JSON.stringify(key)}]`;
          v = member(v, key);
        } else break;
      }
      if (v === UNDEFINED) return new Missing(path);
      return v;
    }
    throw new TemplateError(`in '{{${expr}}}': unexpected '${t.value}'`);
  };
  const primaryOrExpr = (): Value => strict(primary(), expr);

  let value = primary();
  while (peek()?.value === '|') {
    take('|');
    const filter = take().value;
    const args: Value[] = [];
    if (peek()?.value === '(') {
      take('(');
      while (peek()?.value !== ')') {
        args.push(strict(primary(), expr));
        if (peek()?.value === ',') take(',');
      }
      take(')');
    }
    value = dry ? checkFilter(filter, value, expr) : applyFilter(filter, value, args, expr);
  }
  if (i < tokens.length) throw new TemplateError(`in '{{${expr}}}': unexpected '${tokens[i]!.value}'`);
  return strict(value, expr);
}

class Missing {
  constructor(readonly path: string) {}
}

function strict(v: Value, expr: string): Value {
  if (v instanceof Missing) throw new TemplateError(`'${v.path}' is undefined (in '{{${expr}}}')`);
  return v;
}

/** Stands for every variable in a syntax check: any member of it is itself. */
const ANY = Symbol('any');

function member(v: Value, key: Value): Value {
  if (v === ANY) return ANY;
  if (v instanceof Missing || v === UNDEFINED) return UNDEFINED;
  if (v && typeof v === 'object' && Object.hasOwn(v, String(key))) return (v as Record<string, Value>)[String(key)];
  return UNDEFINED;
}

const FILTERS = ['default', 'd', 'lower', 'upper', 'string', 'int', 'bool', 'join', 'fqdn'];

function checkFilter(name: string, v: Value, expr: string): Value {
  if (!FILTERS.includes(name)) throw new TemplateError(`in '{{${expr}}}': unknown filter '${name}' (known: ${FILTERS.filter((f) => f !== 'd').join(', ')})`);
  return v;
}

function applyFilter(name: string, v: Value, args: Value[], expr: string): Value {
  switch (name) {
    case 'default':
    case 'd':
      return v instanceof Missing || v === null || v === undefined || (args[1] === true && !v) ? args[0] : v;
    case 'lower':
      return toText(strict(v, expr)).toLowerCase();
    case 'upper':
      return toText(strict(v, expr)).toUpperCase();
    case 'string':
      return toText(strict(v, expr));
    case 'int': {
      const n = Number.parseInt(toText(strict(v, expr)), 10);
      return Number.isNaN(n) ? 0 : n;
    }
    case 'bool': {
      const s = toText(strict(v, expr)).toLowerCase();
      return ['yes', 'true', '1', 'on'].includes(s);
    }
    case 'join': {
      const list = strict(v, expr);
      if (!Array.isArray(list)) throw new TemplateError(`in '{{${expr}}}': join needs a list`);
      return list.map(toText).join(args[0] === undefined ? '' : toText(args[0]));
    }
    case 'fqdn': {
      // tend's own: a host name as is when it has a dot, else completed with the domain given.
      const host = toText(strict(v, expr));
      return host.includes('.') || args[0] === undefined ? host : `${host}.${toText(args[0])}`;
    }
    default:
      return checkFilter(name, v, expr);
  }
}

/** A lookup over layered variables whose values may themselves be templates. */
export function variableLookup(layers: readonly Record<string, unknown>[]): Lookup {
  const merged = mergeVars(emptyVars(), ...layers);
  const resolving = new Set<string>();
  const cache = new Map<string, unknown>();
  const lookup: Lookup = (name) => {
    if (!Object.hasOwn(merged, name)) return UNDEFINED;
    if (cache.has(name)) return cache.get(name);
    if (resolving.has(name)) throw new TemplateError(`variable '${name}' refers to itself`);
    resolving.add(name);
    try {
      const v = render(merged[name], lookup);
      cache.set(name, v);
      return v;
    } finally {
      resolving.delete(name);
    }
  };
  return lookup;
}
