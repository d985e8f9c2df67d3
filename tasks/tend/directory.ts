// directory: a directory exists with owner, group and mode; with `recurse`, owner and
// group apply to everything inside too (the guide's `chown -R root:sasl …`).
import { z } from 'zod';
import { defineTask, type Change } from '../../src/module.ts';
import { sh, ShellText } from '../../src/shell.ts';
import { inParentOf } from '../lib/atomic.ts';
import { enterDirectory, probeInParentOf, refuseUnsafe, type Walk } from '../lib/safe-path.ts';
import { absolutePath } from '../lib/words.ts';
import { metadataChanges, metadataCommands, ownership, parseStat } from '../lib/metadata.ts';

/** The directory itself, once the script stands in it. */
const HERE = new ShellText('.');

/** Commands run from inside the directory at `path`, reached by the safe walk, in a subshell of their own. */
function inDirectory(path: string, commands: readonly ShellText[], walk: Walk = {}): ShellText {
  return sh`(
${enterDirectory(path, walk)}
${new ShellText(commands.map((c) => c.text).join(' &&\n'))}
)`;
}

const params = z
  .object({
    path: absolutePath,
    state: z.enum(['present', 'absent']).default('present'),
    recurse: z
      .union([z.boolean(), z.literal('directories')])
      .default(false)
      .describe('owner and group for everything inside too (true), or for the directories inside only'),
    ...ownership,
  })
  .strict();

const SAMPLE = 20;

export default defineTask({
  name: 'directory',
  summary: 'a directory exists (or not) with owner, group and mode, optionally for all it contains',
  params,
  example: `directory:\n  path: /var/spool/postfix/var/run/saslauthd\n  owner: root\n  group: sasl\n  mode: "0710"`,
  // Read in the directory holding path, reached by the safe walk; the scan runs from
  // inside the directory itself.
  probe: (p) => {
    const wrongOwner = p.owner !== undefined ? sh`! -user ${p.owner}` : sh``;
    const or = p.owner !== undefined && p.group !== undefined ? sh`-o` : sh``;
    const wrongGroup = p.group !== undefined ? sh`! -group ${p.group}` : sh``;
    const scan = p.recurse !== false && (p.owner !== undefined || p.group !== undefined);
    const onlyDirs = p.recurse === 'directories' ? sh`-type d` : sh``;
    return [
      probeInParentOf(
        p.path,
        sh`if [ -e "$tend_name" ] || [ -L "$tend_name" ]; then stat -c '%F|%U|%G|%a' -- "$tend_name"; else echo missing; fi`,
        sh`echo missing`,
      ),
      scan
        ? probeInParentOf(
            p.path,
            sh`[ -d "$tend_name" ] && [ ! -L "$tend_name" ] && cd -P -- "$tend_name" && find . -mindepth 1 ${onlyDirs} \\( ${wrongOwner} ${or} ${wrongGroup} \\) -print 2>/dev/null | head -n ${SAMPLE + 1} | sed -e ${`s|^\\.|${p.path.replace(/\/+$/, '')}|`}`,
            sh`:`,
            { quiet: true },
          )
        : sh`true`,
    ];
  },
  plan: (p, probed) => {
    const [statLine = '', strays = ''] = probed.sections;
    refuseUnsafe(statLine);
    const have = parseStat(statLine);
    const want = { owner: p.owner, group: p.group, mode: p.mode };
    if (p.state === 'absent') {
      if (have.type === null) return { changes: [], commands: [] };
      return { changes: [{ subject: p.path, kind: 'remove', before: have.type, after: null }], commands: [inParentOf(p.path, sh`rm -rf -- "$tend_name"`)] };
    }
    if (have.type !== null && have.type !== 'directory') {
      throw new Error(`${p.path} is a ${have.type}, not a directory (use the link module with force to replace it)`);
    }
    const changes: Change[] = [];
    const commands: ShellText[] = [];
    if (have.type === null) {
      changes.push({ subject: p.path, kind: 'add', before: null, after: 'directory' });
      // Each missing directory is made as the walk reaches it, and entered before it is chowned.
      commands.push(inDirectory(p.path, metadataCommands(HERE, want), { create: true }));
      return { changes, commands };
    }
    changes.push(...metadataChanges(p.path, have, want));
    const inside = strays.split('\n').filter(Boolean);
    if (inside.length > 0) {
      const shown = inside.slice(0, SAMPLE).join(', ') + (inside.length > SAMPLE ? ', …' : '');
      changes.push({
        subject: `${p.path}/* ownership`,
        kind: 'set',
        before: `differs: ${shown}`,
        after: [p.owner, p.group].filter(Boolean).join(':'),
      });
    }
    const ownerChanged = changes.some((c) => c.subject.endsWith(' owner') || c.subject.endsWith(' group')) || inside.length > 0;
    // From inside the directory (the working directory, not a path anyone could swap):
    // chown -R does not follow links, and find hands each directory to chown from its parent.
    const fixes: ShellText[] = [];
    if (ownerChanged) {
      const owners = { owner: p.owner, group: p.group };
      if (p.recurse === 'directories') {
        fixes.push(...metadataCommands(HERE, owners));
        fixes.push(...metadataCommands(sh`{} +`, owners).map((c) => sh`find . -mindepth 1 -type d -execdir ${c}`));
      } else fixes.push(...metadataCommands(HERE, owners, p.recurse));
    }
    if (changes.some((c) => c.subject.endsWith(' mode'))) fixes.push(...metadataCommands(HERE, { mode: p.mode }));
    if (fixes.length > 0) commands.push(inDirectory(p.path, fixes));
    return { changes, commands };
  },
});
