// slurp: a file's content read from the host, base64-encoded, for `register`; changes
// nothing. The content travels in the probe's output, which all of a play's probes
// share (src/transport/bounded-output.ts caps it): files over SLURP_CAP are refused.
import { z } from 'zod';
import { defineTask, NO_CHANGE, ProbeFailed, type Probed } from '../../src/module.ts';
import { sh } from '../../src/shell.ts';
import { showingShape, withAliases } from '../lib/param-aliases.ts';
import { expandedPath, hostPath } from './stat.ts';

/** The most slurp reads: 1 MiB (1.4 MiB once base64-encoded). */
export const SLURP_CAP = 1024 * 1024;

const object = z
  .object({
    src: hostPath.optional().describe('the file to read (required; alias path)'),
    path: hostPath.optional().describe('alias of src'),
  })
  .strict();

const params = showingShape(withAliases(object, { src: ['path'] }, ['src']), object);

type Params = z.output<typeof params>;

/** `{content, encoding, source}` as Ansible's slurp returns them, or the reason it cannot. */
export function slurped(p: Params, probed: Probed): { content: string; encoding: 'base64'; source: string } {
  const [main = '', source = p.src!] = probed.sections;
  if (probed.code !== 0) throw new ProbeFailed(`unable to slurp file: ${probed.stderr.trim() || `the probe exited ${probed.code}`}`);
  const nl = main.indexOf('\n');
  const [status, rest] = nl < 0 ? [main, ''] : [main.slice(0, nl), main.slice(nl + 1)];
  if (status === 'missing') throw new ProbeFailed(`file not found: ${source}`);
  if (status === 'directory') throw new ProbeFailed(`source is a directory and must be a file: ${source}`);
  if (status === 'unreadable') throw new ProbeFailed(`file is not readable: ${source}`);
  if (status !== 'ok') throw new ProbeFailed(`slurp's probe printed no state: ${main.slice(0, 200)}`);
  const content = rest.trim();
  if (Buffer.from(content, 'base64').length > SLURP_CAP) {
    throw new ProbeFailed(`${source} is larger than slurp reads (${SLURP_CAP} bytes: the content travels in the probe's output)`);
  }
  return { content, encoding: 'base64', source };
}

export default defineTask({
  name: 'slurp',
  checkMode: 'read-only',
  summary: `a file's content, base64-encoded, read for register (files up to ${SLURP_CAP / 1024 / 1024} MiB); changes nothing`,
  params,
  example: `slurp:\n  src: /etc/postfix/main.cf`,
  // One byte past the cap is read, so a larger file (or an endless device) is known as such
  // without reading it whole. The path comes back in a section of its own.
  probe: (p) => [
    sh`${expandedPath(p.src!)}
if [ ! -e "$p" ]; then echo missing
elif [ -d "$p" ]; then echo directory
elif [ ! -r "$p" ]; then echo unreadable
else
  exec 3< "$p" || exit 1
  echo ok
  head -c ${SLURP_CAP + 1} <&3 | base64 -w 0
fi`,
    sh`${expandedPath(p.src!)}
printf '%s' "$p"`,
  ],
  plan: (p, probed) => {
    slurped(p, probed);
    return NO_CHANGE;
  },
  returns: (p, probed) => slurped(p, probed),
});
