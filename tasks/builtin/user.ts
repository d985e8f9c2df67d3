// user: a local user exists (or not), is a member of supplementary groups — added
// without dropping the others unless `append: false` — and has a password hash.
import { z } from 'zod';
import { absolutePath } from '../lib/words.ts';
import { defineTask, ProbeFailed, type Change } from '../../src/module.ts';
import { sh, type ShellText } from '../../src/shell.ts';

const name = z.string().regex(/^[a-z_][a-z0-9_.-]*\$?$/, 'a user or group name');

const params = z
  .object({
    name,
    state: z.enum(['present', 'absent']).default('present'),
    groups: z.array(name).optional().describe('supplementary groups'),
    append: z.boolean().default(true).describe('add to groups without removing the user from others'),
    password: z
      .string()
      .regex(/^[^\s:]*$/, 'a crypt(3) hash as in /etc/shadow: no spaces, newlines or colons')
      .optional()
      .describe('crypt(3) hash, as in /etc/shadow (secret)'),
    shell: absolutePath.refine((v) => !v.includes(':'), 'a shell path without colons').optional(),
    system: z.boolean().default(false).describe('create as a system user'),
    create_home: z.boolean().default(true),
    create: z.boolean().default(true).describe('create the user when missing (false: only manage an existing user, e.g. one a package makes)'),
  })
  .strict();

export interface UserState {
  exists: boolean;
  shell: string;
  groups: string[];
  hash: string | null;
  knownGroups: Set<string>;
}

export function parseUserProbe(sections: readonly string[]): UserState {
  const [passwd = '', groups = '', shadow = '', known = ''] = sections;
  const fields = passwd.trim().split(':');
  return {
    exists: passwd.trim() !== '',
    shell: fields[6] ?? '',
    groups: groups.trim().split(/\s+/).filter(Boolean),
    hash: shadow.trim() === '' ? null : (shadow.trim().split(':')[1] ?? null),
    knownGroups: new Set(known.split('\n').filter(Boolean)),
  };
}

// Through stdin, so the hash never shows in the host's process list.
function setPassword(user: string, hash: string): ShellText {
  return sh`printf '%s:%s\\n' ${user} ${hash} | chpasswd --encrypted`;
}

export default defineTask({
  name: 'user',
  summary: 'a local user exists with supplementary groups (appended by default) and a password hash',
  params,
  secrets: ['password'],
  example: `user:\n  name: postfix\n  groups: [sasl]`,
  probe: (p) => [
    sh`getent passwd ${p.name}; true`,
    sh`getent passwd ${p.name} >/dev/null && id -nG -- ${p.name}; true`,
    p.password !== undefined ? sh`getent shadow ${p.name}; true` : sh`true`,
    sh`for g in ${p.groups ?? []}; do getent group "$g" >/dev/null && echo "$g"; done; true`,
  ],
  plan: (p, probed) => {
    const s = parseUserProbe(probed.sections);
    const changes: Change[] = [];
    const commands: ShellText[] = [];
    if (p.state === 'absent') {
      if (!s.exists) return { changes, commands };
      return { changes: [{ subject: p.name, kind: 'remove', before: 'user', after: null }], commands: [sh`userdel -- ${p.name}`] };
    }
    const missingGroups = (p.groups ?? []).filter((g) => !s.knownGroups.has(g));
    if (missingGroups.length > 0) throw new ProbeFailed(`group ${missingGroups.join(', ')} does not exist`);
    const wantGroups = p.groups ?? [];
    if (!s.exists && !p.create) throw new ProbeFailed(`user ${p.name} does not exist (and create is false)`);
    if (!s.exists) {
      changes.push({ subject: p.name, kind: 'add', before: null, after: 'user' });
      const opts: ShellText[] = [];
      if (p.system) opts.push(sh`--system`);
      if (p.create_home) opts.push(sh`--create-home`);
      if (p.shell) opts.push(sh`--shell ${p.shell}`);
      if (wantGroups.length > 0) {
        opts.push(sh`--groups ${wantGroups.join(',')}`);
        for (const g of wantGroups) changes.push({ subject: `${p.name} in group ${g}`, kind: 'add', before: null, after: null });
      }
      commands.push(sh`useradd ${opts} -- ${p.name}`);
      if (p.password !== undefined) {
        changes.push({ subject: `${p.name} password`, kind: 'set', secret: true });
        commands.push(setPassword(p.name, p.password));
      }
      return { changes, commands };
    }
    const add = wantGroups.filter((g) => !s.groups.includes(g));
    // The primary group is listed by `id -nG` too; it is never "removed".
    const primary = s.groups[0];
    const remove = p.append || p.groups === undefined ? [] : s.groups.filter((g) => g !== primary && !wantGroups.includes(g));
    for (const g of add) changes.push({ subject: `${p.name} in group ${g}`, kind: 'add', before: null, after: null });
    for (const g of remove) changes.push({ subject: `${p.name} in group ${g}`, kind: 'remove', before: null, after: null });
    if (add.length > 0 && p.append) commands.push(sh`usermod --append --groups ${add.join(',')} -- ${p.name}`);
    if ((add.length > 0 || remove.length > 0) && !p.append) commands.push(sh`usermod --groups ${wantGroups.join(',')} -- ${p.name}`);
    if (p.shell !== undefined && p.shell !== s.shell) {
      changes.push({ subject: `${p.name} shell`, kind: 'set', before: s.shell, after: p.shell });
      commands.push(sh`usermod --shell ${p.shell} -- ${p.name}`);
    }
    if (p.password !== undefined && p.password !== s.hash) {
      changes.push({ subject: `${p.name} password`, kind: 'set', secret: true });
      commands.push(setPassword(p.name, p.password));
    }
    return { changes, commands };
  },
});
