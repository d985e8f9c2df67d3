// group: a local group exists (or not), with a given gid and as a system group when asked.
import { z } from 'zod';
import { defineTask, type Change } from '../../src/module.ts';
import { sh, type ShellText } from '../../src/shell.ts';

const params = z
  .object({
    name: z.string().regex(/^[a-z_][a-z0-9_.-]*\$?$/, 'a group name'),
    state: z.enum(['present', 'absent']).default('present'),
    gid: z.number().int().min(0).max(4294967294).optional(),
    system: z.boolean().default(false).describe('when created: a system group (a gid from the system range)'),
  })
  .strict();

/** `getent group` line: name:x:gid:members, or nothing. */
export function parseGroup(stdout: string): { exists: boolean; gid?: number } {
  const fields = stdout.trim().split(':');
  if (stdout.trim() === '' || fields.length < 3) return { exists: false };
  return { exists: true, gid: Number(fields[2]) };
}

export default defineTask({
  name: 'group',
  summary: 'a local group exists (or not), with a given gid',
  params,
  example: `group:\n  name: mailadmins\n  gid: 2001`,
  probe: (p) => sh`getent group ${p.name}; true`,
  plan: (p, probed) => {
    const have = parseGroup(probed.stdout);
    const changes: Change[] = [];
    const commands: ShellText[] = [];
    if (p.state === 'absent') {
      if (have.exists) {
        changes.push({ subject: `group ${p.name}`, kind: 'remove', before: `gid ${have.gid}`, after: null });
        commands.push(sh`groupdel -- ${p.name}`);
      }
      return { changes, commands };
    }
    if (!have.exists) {
      changes.push({ subject: `group ${p.name}`, kind: 'add', before: null, after: p.gid !== undefined ? `gid ${p.gid}` : 'new group' });
      commands.push(sh`groupadd ${p.gid !== undefined ? sh`--gid ${p.gid}` : sh``} ${p.system ? sh`--system` : sh``} -- ${p.name}`);
    } else if (p.gid !== undefined && have.gid !== p.gid) {
      changes.push({ subject: `group ${p.name} gid`, kind: 'set', before: String(have.gid), after: String(p.gid) });
      commands.push(sh`groupmod --gid ${p.gid} -- ${p.name}`);
    }
    return { changes, commands };
  },
});
