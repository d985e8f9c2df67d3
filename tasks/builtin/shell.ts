// shell: runs its text with sh -c (the PATH tend sets finds /bin/sh) or `executable`, as Ansible's does: pipes,
// redirections and $VARS work. Idempotent by `creates`, `removes` or tend's `unless`, as
// command is (tasks/lib/command-run.ts).
import { z } from 'zod';
import { defineTask } from '../../src/module.ts';
import { sh } from '../../src/shell.ts';
import { commandOptions, commandPlan, commandProbe, commandReturns } from '../lib/command-run.ts';
import { oneLine } from '../lib/words.ts';

const params = z
  .object({
    cmd: z.string().min(1).describe('the shell text'),
    executable: oneLine.optional().describe('the shell to run it with (its -c); /bin/sh by default'),
    ...commandOptions,
  })
  .strict();

export default defineTask({
  name: 'shell',
  summary: 'shell text runs with /bin/sh, unless `creates`, `removes` or `unless` says it is already done',
  params,
  example: `shell:\n  cmd: ls /etc | wc -l > /tmp/count\n  creates: /tmp/count`,
  resultNeedsRun: true,
  probe: commandProbe,
  plan: (p, probed) => commandPlan(p, probed, p.cmd, sh`${p.executable ?? 'sh'} -c ${p.cmd}`),
  returns: (p, probed, _plan, context) => commandReturns(p, probed, p.cmd, context),
});
