// command: runs a command without a shell, as Ansible's does: its text is split into
// words as Python's shlex splits it (`$HOME`, `|` and `>` are plain characters), or given
// as `argv`. Idempotent by `creates`, `removes` or tend's `unless`; without them it runs
// every time, and says so. Check mode says "would run" (what it would print cannot be
// known: a task reading its registered result waits for it).
import { z } from 'zod';
import { defineTask } from '../../src/module.ts';
import { shlexSplit } from '../../src/shlex.ts';
import { quote, sh, ShellText } from '../../src/shell.ts';
import { commandOptions, commandPlan, commandProbe, commandReturns } from '../lib/command-run.ts';

const params = z
  .object({
    cmd: z.string().min(1).optional().describe('the command: words split as a POSIX shell would, but no shell runs it'),
    argv: z.array(z.string()).min(1).optional().describe('the command as a list of words'),
    ...commandOptions,
  })
  .strict()
  .superRefine((p, ctx) => {
    if ((p.cmd === undefined) === (p.argv === undefined)) ctx.addIssue({ code: 'custom', message: 'give the command as cmd (or free-form text) or as argv, one of them' });
    if (p.cmd !== undefined) {
      try {
        if (shlexSplit(p.cmd, false).length === 0) ctx.addIssue({ code: 'custom', path: ['cmd'], message: 'no command given' });
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['cmd'], message: `cannot be split into words: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
  });

type Params = z.output<typeof params>;

/** The words the command runs, as Ansible gives them back in `cmd`. */
const words = (p: Params): string[] => p.argv ?? shlexSplit(p.cmd!, false);

/**
 * One word as Ansible's run_command passes it (expand_user_and_vars): `~` and `~user` at
 * its start become a home directory, and $NAME or ${NAME} the host's environment
 * variable when it is set (left as written when not), as Python's expanduser and
 * expandvars do. Nothing else in the word means anything to the shell.
 */
function expandedWord(word: string): ShellText {
  let out = '';
  let rest = word;
  const tilde = /^~([a-z_][a-z0-9_-]*)?(?=\/|$)/.exec(rest);
  if (tilde) {
    out += tilde[1] ? `~${tilde[1]}` : '"$HOME"';
    rest = rest.slice(tilde[0].length);
  }
  const vars = /\$([A-Za-z_][A-Za-z0-9_]*)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
  let at = 0;
  for (const m of rest.matchAll(vars)) {
    if (m.index > at) out += quote(rest.slice(at, m.index));
    const name = m[1] ?? m[2]!;
    // Unset, the default: the text as written ($ and } escaped, in double quotes).
    const asWritten = m[0].replaceAll('$', '\\$').replaceAll('}', '\\}');
    out += `"\${${name}-${asWritten}}"`;
    at = m.index + m[0].length;
  }
  if (at < rest.length || out === '') out += quote(rest.slice(at));
  return new ShellText(out);
}

export default defineTask({
  name: 'command',
  summary: 'a command runs (no shell), unless `creates`, `removes` or `unless` says it is already done',
  params,
  example: `command:\n  cmd: newaliases\n  creates: /etc/aliases.db`,
  resultNeedsRun: true,
  probe: commandProbe,
  plan: (p, probed) => commandPlan(p, probed, p.cmd ?? words(p).join(' '), sh`${words(p).map(expandedWord)}`),
  returns: (p, probed, _plan, context) => commandReturns(p, probed, words(p), context),
});
