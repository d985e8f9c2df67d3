// command: a raw command, made idempotent by `creates` (skip when this path exists),
// `removes` (skip when it does not) or `unless` (skip when this probe command succeeds).
// Without any of them it runs every time, and says so. Check mode says "would run".
import { z } from 'zod';
import { defineTask } from '../../src/module.ts';
import { quote, sh, ShellText } from '../../src/shell.ts';
import { oneLine } from '../lib/words.ts';

const params = z
  .object({
    cmd: z.string().min(1).describe('run with /bin/sh -c'),
    creates: oneLine.optional().describe('a path: when it exists, the command is not run'),
    removes: oneLine.optional().describe('a path: when it does not exist, the command is not run'),
    unless: z.string().optional().describe('a command: when it succeeds, the command is not run'),
    chdir: oneLine.optional(),
  })
  .strict();

export default defineTask({
  name: 'command',
  summary: 'a command runs, unless `creates`, `removes` or `unless` says it is already done',
  params,
  example: `command:\n  cmd: newaliases\n  creates: /etc/aliases.db`,
  probe: (p) =>
    new ShellText(
      [
        p.creates !== undefined ? `[ -e ${quote(p.creates)} ] && echo creates-exists` : '',
        p.removes !== undefined ? `[ -e ${quote(p.removes)} ] || echo removes-missing` : '',
        p.unless !== undefined ? `(sh -c ${quote(p.unless)}) >/dev/null 2>&1 && echo unless-ok` : '',
        'true',
      ]
        .filter(Boolean)
        .join('\n'),
    ),
  plan: (p, probed) => {
    const facts = new Set(probed.stdout.split('\n'));
    if (facts.has('creates-exists') || facts.has('removes-missing') || facts.has('unless-ok')) return { changes: [], commands: [] };
    const why =
      p.creates !== undefined ? `${p.creates} does not exist` : p.removes !== undefined ? `${p.removes} exists` : p.unless !== undefined ? '`unless` failed' : 'no condition: runs every time';
    const cd = p.chdir !== undefined ? sh`cd -- ${p.chdir} && ` : sh``;
    return {
      changes: [{ subject: p.cmd, kind: 'run', reason: why }],
      commands: [sh`${cd}sh -c ${p.cmd}`],
    };
  },
});
