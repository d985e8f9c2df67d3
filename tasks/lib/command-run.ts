// What `command` and `shell` share, as Ansible 2.14 has them: `creates` (skip when a path
// matching this glob exists), `removes` (skip when none does), `chdir`, `stdin`, and the
// result `register` sees (cmd, rc, stdout, stderr and their _lines, start, end, delta,
// msg). tend adds `unless` (skip when this probe command succeeds). They differ only in
// how the text becomes a command: `command` splits it into words and runs them without a
// shell; `shell` hands it to /bin/sh (or `executable`).
import { z } from 'zod';
import type { CommandsRan, Plan, Probed } from '../../src/module.ts';
import { quote, sh, ShellText } from '../../src/shell.ts';
import { oneLine } from './words.ts';

export const commandOptions = {
  creates: oneLine.optional().describe('a path (a glob): when one matches, the command is not run'),
  removes: oneLine.optional().describe('a path (a glob): when none matches, the command is not run'),
  unless: z.string().optional().describe("tend's own: a command; when it succeeds, the command is not run"),
  chdir: oneLine.optional().describe('the directory the command runs in'),
  stdin: z.string().optional().describe("text given to the command's standard input"),
  stdin_add_newline: z.boolean().default(true).describe('end stdin with a newline'),
  strip_empty_ends: z.boolean().default(true).describe('strip trailing newlines from stdout and stderr in the result'),
};

export interface CommandOptions {
  creates?: string | undefined;
  removes?: string | undefined;
  unless?: string | undefined;
  chdir?: string | undefined;
  stdin?: string | undefined;
  stdin_add_newline: boolean;
  strip_empty_ends: boolean;
}

/**
 * Whether a path matching the glob exists: the pattern expands in a variable without
 * field splitting (so nothing in it runs, and spaces stay), and one that matches nothing
 * stays as written, tested as a plain path, as Python's glob does.
 */
function globExists(pattern: string, answer: string): string {
  return `(__p=${quote(pattern)}; IFS=; for __f in $__p; do if [ -e "$__f" ] || [ -L "$__f" ]; then echo ${answer}; fi; break; done)`;
}

/** The probe: which of creates/removes/unless already holds. */
export function commandProbe(p: CommandOptions): ShellText {
  return new ShellText(
    [
      p.creates !== undefined ? globExists(p.creates, 'creates-exists') : '',
      p.removes !== undefined ? globExists(p.removes, 'removes-exists') : '',
      p.unless !== undefined ? `(sh -c ${quote(p.unless)}) >/dev/null 2>&1 && echo unless-ok` : '',
      'true',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

/** Why the command is not run (Ansible's message, "Did"/"Would"), or undefined when it runs. */
function notRunBecause(p: CommandOptions, probed: Probed): { msg: (done: string) => string; stdout: string } | undefined {
  const facts = new Set(probed.stdout.split('\n'));
  if (p.creates !== undefined && facts.has('creates-exists')) return { msg: (d) => `${d} not run command since '${p.creates}' exists`, stdout: `skipped, since ${p.creates} exists` };
  if (p.removes !== undefined && !facts.has('removes-exists')) return { msg: (d) => `${d} not run command since '${p.removes}' does not exist`, stdout: `skipped, since ${p.removes} does not exist` };
  if (p.unless !== undefined && facts.has('unless-ok')) return { msg: (d) => `${d} not run command since 'unless' succeeded`, stdout: 'skipped, since unless succeeded' };
  return undefined;
}

/** The plan: nothing, or `run` (`shown` as people read it) in chdir with stdin. */
export function commandPlan(p: CommandOptions, probed: Probed, shown: string, run: ShellText): Plan {
  if (notRunBecause(p, probed)) return { changes: [], commands: [] };
  const why = p.creates !== undefined ? `${p.creates} does not exist` : p.removes !== undefined ? `${p.removes} exists` : p.unless !== undefined ? '`unless` failed' : 'no condition: runs every time';
  const cd = p.chdir !== undefined ? sh`cd -- ${p.chdir} && ` : sh``;
  const command = p.stdin === undefined ? sh`${cd}${run}` : sh`printf ${p.stdin_add_newline ? '%s\\n' : '%s'} ${p.stdin} | (${cd}${run})`;
  return { changes: [{ subject: shown, kind: 'run', reason: why }], commands: [command] };
}

/** Python's str.splitlines(): the line boundaries Ansible's stdout_lines are split on. */
export function pythonLines(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- Python's line boundaries include control characters
  const parts = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

/** Python's str(datetime) and str(timedelta), as Ansible's start, end and delta are. */
function pythonTime(d: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}000`;
}

function pythonDelta(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}000`;
}

/** The result `register` sees, with `cmd` as Ansible gives it (a list for command, the text for shell). */
export function commandReturns(p: CommandOptions, probed: Probed, cmd: unknown, context: { ran?: CommandsRan; check: boolean }): Record<string, unknown> {
  const skip = notRunBecause(p, probed);
  const strip = (s: string) => (p.strip_empty_ends ? s.replace(/[\r\n]+$/, '') : s);
  if (skip || !context.ran) {
    const stdout = skip?.stdout ?? '';
    return {
      cmd,
      rc: 0,
      stdout,
      stderr: '',
      stdout_lines: pythonLines(stdout),
      stderr_lines: [],
      start: null,
      end: null,
      delta: null,
      msg: skip ? skip.msg(context.check ? 'Would' : 'Did') : 'Command would have run if not in check mode',
    };
  }
  const { ran } = context;
  const stdout = strip(ran.stdout);
  const stderr = strip(ran.stderr);
  return {
    cmd,
    rc: ran.code,
    stdout,
    stderr,
    stdout_lines: pythonLines(stdout),
    stderr_lines: pythonLines(stderr),
    start: pythonTime(ran.start),
    end: pythonTime(ran.end),
    delta: pythonDelta(ran.end.getTime() - ran.start.getTime()),
    msg: ran.code === 0 ? '' : 'non-zero return code',
  };
}
