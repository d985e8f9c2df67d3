// directory: a directory exists with owner, group and mode; with `recurse`, owner and
// group apply to everything inside too (the guide's `chown -R root:sasl …`).
import { z } from 'zod';
import { defineTask, type Change } from '../src/engine/task.ts';
import { sh, type ShellText } from '../src/shell.ts';
import { absolutePath } from './lib/words.ts';
import { metadataChanges, metadataCommands, ownership, parseStat, statProbe } from './lib/metadata.ts';

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
  probe: (p) => {
    const wrongOwner = p.owner !== undefined ? sh`! -user ${p.owner}` : sh``;
    const or = p.owner !== undefined && p.group !== undefined ? sh`-o` : sh``;
    const wrongGroup = p.group !== undefined ? sh`! -group ${p.group}` : sh``;
    const scan = p.recurse !== false && (p.owner !== undefined || p.group !== undefined);
    const onlyDirs = p.recurse === 'directories' ? sh`-type d` : sh``;
    return [
      statProbe(p.path),
      scan
        ? sh`p=${p.path}
[ -d "$p" ] && [ ! -L "$p" ] && find "$p" -mindepth 1 ${onlyDirs} \\( ${wrongOwner} ${or} ${wrongGroup} \\) -print 2>/dev/null | head -n ${SAMPLE + 1}`
        : sh`true`,
    ];
  },
  plan: (p, probed) => {
    const [statLine = '', strays = ''] = probed.sections;
    const have = parseStat(statLine);
    const want = { owner: p.owner, group: p.group, mode: p.mode };
    if (p.state === 'absent') {
      if (have.type === null) return { changes: [], commands: [] };
      return { changes: [{ subject: p.path, kind: 'remove', before: have.type, after: null }], commands: [sh`rm -rf -- ${p.path}`] };
    }
    if (have.type !== null && have.type !== 'directory') {
      throw new Error(`${p.path} is a ${have.type}, not a directory (use the link module with force to replace it)`);
    }
    const changes: Change[] = [];
    const commands: ShellText[] = [];
    if (have.type === null) {
      changes.push({ subject: p.path, kind: 'add', before: null, after: 'directory' });
      commands.push(sh`mkdir -p -- ${p.path}`);
      commands.push(...metadataCommands(sh`${p.path}`, want));
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
    if (ownerChanged) {
      const owners = { owner: p.owner, group: p.group };
      if (p.recurse === 'directories') {
        commands.push(...metadataCommands(sh`${p.path}`, owners));
        // find hands each directory to chown; the -exec words are built by the same quoting.
        commands.push(...metadataCommands(sh`{} +`, owners).map((c) => sh`find ${p.path} -mindepth 1 -type d -exec ${c}`));
      } else commands.push(...metadataCommands(sh`${p.path}`, owners, p.recurse));
    }
    if (changes.some((c) => c.subject.endsWith(' mode'))) commands.push(...metadataCommands(sh`${p.path}`, { mode: p.mode }));
    return { changes, commands };
  },
});
