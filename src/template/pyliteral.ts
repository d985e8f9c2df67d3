// Python's ast.literal_eval, as Ansible applies it to templated text (convert_data): only
// literals — strings, numbers, True/False/None (and JSON's true/false/null, which Ansible
// maps), lists, tuples, dicts, sets, unary +/- on numbers. Anything else is not a
// literal, and the text stays text.
import { ANSIBLE_SYNTAX, tokenize, type Token } from './lexer.ts';
import { dictKey, float, isFloat, num, PyTuple } from './values.ts';

const NOT_LITERAL = Symbol('not a literal');
const NAMES: Record<string, unknown> = { True: true, False: false, None: null, true: true, false: false, null: null };

function parse(tokens: Token[]): unknown {
  let i = 0;
  const peek = () => tokens[i]!;
  const isOp = (v: string) => peek().type === 'op' && peek().value === v;
  const fail = (): never => {
    throw NOT_LITERAL;
  };
  const items = (close: string, read: () => void): void => {
    while (!isOp(close)) {
      read();
      if (isOp(',')) i++;
      else if (!isOp(close)) fail();
    }
    i++;
  };
  const value = (depth: number): unknown => {
    if (depth > 100) fail();
    const t = tokens[i++]!;
    if (t.type === 'string') {
      let s = t.parsed as string;
      while (peek().type === 'string') s += tokens[i++]!.parsed as string;
      return s;
    }
    if (t.type === 'integer' || t.type === 'float') return t.type === 'float' ? float(t.parsed as number) : t.parsed;
    if (t.type === 'name' && Object.hasOwn(NAMES, t.value)) return NAMES[t.value];
    if (t.type === 'op' && (t.value === '-' || t.value === '+')) {
      const n = value(depth + 1);
      if (typeof n !== 'number' && !isFloat(n)) fail();
      const v = t.value === '-' ? -num(n) : num(n);
      return isFloat(n) ? float(v) : v;
    }
    if (t.type === 'op' && t.value === '[') {
      const out: unknown[] = [];
      items(']', () => out.push(value(depth + 1)));
      return out;
    }
    if (t.type === 'op' && t.value === '(') {
      const out: unknown[] = [];
      let comma = false;
      while (!isOp(')')) {
        out.push(value(depth + 1));
        if (isOp(',')) {
          i++;
          comma = true;
        } else if (!isOp(')')) fail();
      }
      i++;
      return out.length === 1 && !comma ? out[0] : PyTuple.from2(out);
    }
    if (t.type === 'op' && t.value === '{') {
      const out = new Map<unknown, unknown>();
      items('}', () => {
        const k = value(depth + 1);
        if (!isOp(':')) fail();
        i++;
        if (Array.isArray(k) && !(k instanceof PyTuple)) fail();
        out.set(dictKey(k), value(depth + 1));
      });
      return out;
    }
    return fail();
  };
  const v = value(0);
  if (peek().type !== 'var_end') fail();
  return v;
}

/** The literal `text` spells, or `text` itself when it is not one. */
export function literalEval(text: string): unknown {
  try {
    const tokens = tokenize(`{{ ${text} }}`, ANSIBLE_SYNTAX);
    if (tokens[0]?.type !== 'var_begin') return text;
    const body = tokens.slice(1);
    if (body.some((t) => t.type === 'var_begin' || t.type === 'block_begin' || t.type === 'data')) return text;
    const v = parse(body);
    return v;
  } catch {
    return text;
  }
}

/** Ansible's convert_data: text that reads as a list/dict literal or True/False becomes that value. */
export function literal(text: string): unknown {
  if (!(text.startsWith('{') || text.startsWith('[') || text === 'True' || text === 'False')) return text;
  return literalEval(text);
}
