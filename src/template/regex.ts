// Python `re` patterns as JS RegExps: the syntax roles use differs in a few spellings
// ((?P<n>…), (?P=n), \A, \Z, inline flags) and in replacement strings (\1, \g<n>).
import { PyError } from './errors.ts';

const cache = new Map<string, RegExp>();

export function pyRegex(pattern: string, flags: { ignorecase?: boolean; multiline?: boolean; global?: boolean; dotall?: boolean } = {}): RegExp {
  let p = pattern;
  let f = 'u';
  // Inline flags at the start: (?i), (?m), (?s), (?x) (verbose is dropped whitespace-wise below).
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  let verbose = false;
  if (inline) {
    p = p.slice(inline[0].length);
    if (inline[1]!.includes('i')) flags = { ...flags, ignorecase: true };
    if (inline[1]!.includes('m')) flags = { ...flags, multiline: true };
    if (inline[1]!.includes('s')) flags = { ...flags, dotall: true };
    verbose = inline[1]!.includes('x');
  }
  // eslint-disable-next-line no-control-regex -- a NUL stands in for an escaped '#' while comments go
  if (verbose) p = p.replace(/\\#/g, '\u0000').replace(/#.*$/gm, '').replace(/\s+/g, '').replace(/\u0000/g, '\\#');
  p = p
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$(?![\\s\\S])');
  if (flags.ignorecase) f += 'i';
  if (flags.multiline) f += 'm';
  if (flags.dotall) f += 's';
  if (flags.global) f += 'g';
  const key = `${f}/${p}`;
  let re = cache.get(key);
  if (!re) {
    try {
      re = new RegExp(p, f);
    } catch {
      try {
        // Python accepts escapes the 'u' flag refuses (\-, \/, \ , …): retry without it.
        re = new RegExp(p, f.replace('u', ''));
      } catch (e) {
        // Python's re.error: its class is named 'error'.
        throw new PyError('error', `invalid regular expression '${pattern}': ${(e as Error).message}`);
      }
    }
    if (cache.size > 1000) cache.clear();
    cache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

/** A Python replacement template (\1, \g<1>, \g<name>, \n) as a function of a match. */
export function pyReplacement(template: string): (m: RegExpExecArray | string[], groups?: Record<string, string>) => string {
  return (m, groups) =>
    template.replace(/\\(?:g<([^>]+)>|(\d{1,2})|([ntr\\]))/g, (_all, g: string | undefined, d: string | undefined, c: string | undefined) => {
      if (c !== undefined) return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : '\\';
      const ref = g ?? d!;
      if (/^\d+$/.test(ref)) {
        const n = Number(ref);
        if (n >= m.length) throw new PyError('re.error', `invalid group reference ${n}`);
        return m[n] ?? '';
      }
      if (!groups || !(ref in groups)) throw new PyError('IndexError', `unknown group name '${ref}'`);
      return groups[ref] ?? '';
    });
}
