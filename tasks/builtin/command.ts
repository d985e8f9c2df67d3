// command: runs a command without a shell, as Ansible's does: its text is split into
// words as Python's shlex splits it (`$HOME`, `|` and `>` are plain characters), or given
// as `argv`. Idempotent by `creates`, `removes` or tend's `unless`; without them it runs
// every time, and says so. Check mode says "would run" (what it would print cannot be
// known: a task reading its registered result waits for it).
import { z } from 'zod';
import { defineTask } from '../../src/module.ts';
import { shlexSplit } from '../../src/shlex.ts';
import { sh } from '../../src/shell.ts';
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

export default defineTask({
  name: 'command',
  summary: 'a command runs (no shell), unless `creates`, `removes` or `unless` says it is already done',
  params,
  example: `command:\n  cmd: newaliases\n  creates: /etc/aliases.db`,
  resultNeedsRun: true,
  probe: commandProbe,
  plan: (p, probed) => commandPlan(p, probed, p.cmd ?? words(p).join(' '), sh`${words(p)}`),
  returns: (p, probed, _plan, context) => commandReturns(p, probed, words(p), context),
});
