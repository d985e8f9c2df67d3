// JSON as Python's json.loads reads it: objects as dicts in document order (integer-like
// keys too), numbers with a fraction or exponent as floats (1.0 stays 1.0), NaN/Infinity.
import { PyError } from './errors.ts';
import { float } from './values.ts';

export function jsonLoads(text: string): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new PyError('JSONDecodeError', `${what}: line ${text.slice(0, i).split('\n').length} column ${i - text.lastIndexOf('\n', i - 1)} (char ${i})`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (depth: number): unknown => {
    if (depth > 1000) fail('Nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out = new Map<unknown, unknown>();
      ws();
      if (text[i] === '}') return i++, out;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('Expecting property name enclosed in double quotes');
        const k = string();
        ws();
        if (text[i++] !== ':') fail("Expecting ':' delimiter");
        out.set(k, value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return i++, out;
        else fail("Expecting ',' delimiter");
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === ']') return i++, out;
      for (;;) {
        out.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return i++, out;
        else fail("Expecting ',' delimiter");
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return typeof v === 'number' ? float(v) : v;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
    if (!m) return fail('Expecting value');
    i += m[0].length;
    return m[1] || m[2] ? float(Number(m[0])) : Number(m[0]);
  };
  const string = (): string => {
    // eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
    const m = /^"((?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*)"/.exec(text.slice(i));
    if (!m) return fail('Unterminated string starting at');
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const v = value(0);
  ws();
  if (i < text.length) fail('Extra data');
  return v;
}
