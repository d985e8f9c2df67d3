// A `mode` as Ansible's file, copy and template modules read it: octal digits (text, or
// a number that is the bits themselves), or symbolic clauses as chmod writes them
// (`u=rwX,g=rX,o=`), applied to the mode the path has now. What the result is for one
// path is computed here, from the mode and type the probe read, and set as octal digits:
// the command never depends on how the host's chmod reads a clause.
import { z } from 'zod';

/** One clause, Ansible's shape: who, then one or more operator+perms pairs. */
const CLAUSE = /^(a|[ugo]*)((?:[-+=][rwxXstugo]*)+)$/;

/** Why a symbolic mode is refused, or null when tend applies it as Ansible does. */
export function symbolicModeProblem(mode: string): string | null {
  for (const clause of mode.split(',')) {
    const m = CLAUSE.exec(clause);
    if (!m) return `"${clause}" is not a symbolic mode clause (like u+rwx, g-w, o=r, a=rX)`;
    if (m[1] === '') {
      return `"${clause}" names no one: Ansible applies the remote umask to it, which tend does not read; write who it is for (a${clause}, u${clause}, …)`;
    }
  }
  return null;
}

/**
 * A mode as Ansible reads it: text is octal digits ("0640", "640") or symbolic clauses;
 * a number is the permission bits themselves (YAML 1.1's 0640 is 416: mode 0640).
 * Octal comes out as four digits ("0640"), symbolic as given.
 */
export const fileModeParam = z
  .union([z.string(), z.number().int()])
  .transform((v, ctx) => {
    if (typeof v === 'number') {
      if (v >= 0 && v <= 0o7777) return v.toString(8).padStart(4, '0');
      ctx.addIssue({ code: 'custom', message: 'a mode between 0 and 07777' });
      return z.NEVER;
    }
    if (/^0?[0-7]{3,4}$/.test(v)) return v.replace(/^0*(?=[0-7]{3,4}$)/, '').padStart(4, '0');
    if (v === 'preserve') {
      ctx.addIssue({ code: 'custom', message: 'mode: preserve is for copy with a src file' });
      return z.NEVER;
    }
    const problem = /^[0-9]+$/.test(v) ? 'a mode in octal digits, like "0640"' : symbolicModeProblem(v);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return v;
  });

export const isOctalMode = (mode: string): boolean => /^[0-7]{4}$/.test(mode);

const WHO_BITS = { u: 0o4700, g: 0o2070, o: 0o1007 } as const;
const SHIFT = { u: 6, g: 3, o: 0 } as const;

/**
 * The mode (four octal digits) `wanted` gives a path whose mode is now `current` (octal
 * text) and which is a directory or not, as Ansible computes it: every clause reads the
 * path's mode as it was (for X and for copying u, g or o), and applies to what the clauses
 * before it made.
 */
export function resultingMode(wanted: string, current: string, isDirectory: boolean): string {
  if (isOctalMode(wanted)) return wanted;
  const before = parseInt(current || '0', 8) & 0o7777;
  const executable = isDirectory || (before & 0o111) !== 0;
  let mode = before;
  for (const clause of wanted.split(',')) {
    const m = CLAUSE.exec(clause);
    if (!m || m[1] === '') throw new Error(`mode ${wanted}: ${symbolicModeProblem(wanted) ?? 'not a symbolic mode'}`);
    const users = m[1] === 'a' ? 'ugo' : m[1]!;
    for (const [, op, perms] of m[2]!.matchAll(/([-+=])([rwxXstugo]*)/g)) {
      for (const who of users as Iterable<'u' | 'g' | 'o'>) {
        const bits = permBits(who, perms!, before, executable);
        if (op === '=') mode = (mode & ~WHO_BITS[who]) | bits;
        else if (op === '+') mode |= bits;
        else mode &= ~bits;
      }
    }
  }
  return mode.toString(8).padStart(4, '0');
}

function permBits(who: 'u' | 'g' | 'o', perms: string, before: number, executable: boolean): number {
  const shift = SHIFT[who];
  let bits = 0;
  for (const p of perms) {
    if (p === 'r') bits |= 4 << shift;
    else if (p === 'w') bits |= 2 << shift;
    else if (p === 'x' || (p === 'X' && executable)) bits |= 1 << shift;
    else if (p === 's') bits |= who === 'u' ? 0o4000 : who === 'g' ? 0o2000 : 0;
    else if (p === 't') bits |= who === 'o' ? 0o1000 : 0;
    else if (p === 'u' || p === 'g' || p === 'o') bits |= ((before >> SHIFT[p]) & 7) << shift;
  }
  return bits;
}
