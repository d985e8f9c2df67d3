// link: a symbolic link points at a target. With `force`, whatever stands at the path (a
// directory, as /var/run/saslauthd does on Debian) is replaced.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineTask, ProbeFailed } from '../../src/module.ts';
import { sh } from '../../src/shell.ts';
import { inParentOf } from '../lib/atomic.ts';
import { probeInParentOf, refuseUnsafe } from '../lib/safe-path.ts';
import { absolutePath, oneLine } from '../lib/words.ts';

const params = z
  .object({
    path: absolutePath,
    target: oneLine.pipe(z.string().min(1)).describe('what the link points at'),
    force: z.boolean().default(false).describe('replace a file or directory standing at path'),
  })
  .strict();

export default defineTask({
  name: 'link',
  summary: 'a symbolic link points at a target, replacing what stands there when forced',
  params,
  example: `link:\n  path: /run/saslauthd\n  target: /var/spool/postfix/var/run/saslauthd\n  force: true`,
  // Read in the directory holding path, reached by the safe walk: what stands there, and
  // whether that directory exists.
  probe: (p) => [
    probeInParentOf(
      p.path,
      sh`if [ -L "$tend_name" ]; then echo link; readlink -- "$tend_name"; elif [ -d "$tend_name" ]; then echo directory; elif [ -e "$tend_name" ]; then echo file; else echo missing; fi`,
      sh`echo missing`,
    ),
    probeInParentOf(p.path, sh`echo parent-ok`, sh`echo parent-missing`, { quiet: true }),
  ],
  plan: (p, probed) => {
    const [what = '', parent = ''] = probed.sections;
    refuseUnsafe(what);
    const [kind = 'missing', target = ''] = what.trim().split('\n');
    if (parent.trim() === 'parent-missing') throw new ProbeFailed(`the directory holding ${p.path} does not exist`);
    if (kind === 'link' && target === p.target) return { changes: [], commands: [] };
    const before = kind === 'link' ? `symlink to ${target}` : kind === 'missing' ? null : kind;
    const change = { subject: p.path, kind: 'set' as const, before, after: `symlink to ${p.target}` };
    // The new link is made beside the path, under a random name that symlink(2) refuses
    // if it exists, and renamed over the path: never a moment without one. All of it in
    // the directory the safe walk reached, by relative names.
    const staged = `.tend.${randomBytes(12).toString('hex')}`;
    const swap = sh`ln -s -- ${p.target} ${staged} && { mv -Tf -- ${staged} "$tend_name" || { rm -f -- ${staged}; exit 1; }; }`;
    if (kind === 'link' || kind === 'missing') return { changes: [change], commands: [inParentOf(p.path, swap)] };
    if (!p.force) throw new Error(`${p.path} is a ${kind}; set force: true to replace it with the link`);
    return { changes: [change], commands: [inParentOf(p.path, sh`rm -rf -- "$tend_name" &&\n${swap}`)] };
  },
});
