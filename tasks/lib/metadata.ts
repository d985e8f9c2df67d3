// Owner, group and mode of a path: the parameters, the probe and the fix, shared by the
// modules that manage files (file, directory, openssl).
import { z } from 'zod';
import { sh, type ShellText } from '../../src/shell.ts';
import type { Change } from '../../src/module.ts';

/**
 * A mode as Ansible reads it: text is octal digits ("0640", "640"); a number is the
 * permission bits themselves (YAML 1.1's 0640 is 416, which is mode 0640; a variable
 * holding it renders to that number). The playbook reader refuses a literal decimal
 * number such as 640 in a task (to Ansible it is mode 01200).
 */
export const modeParam = z
  .union([z.string(), z.number().int()])
  .transform((v) => (typeof v === 'number' ? (v >= 0 && v <= 0o7777 ? v.toString(8).padStart(3, '0') : 'invalid') : v))
  .refine((v) => /^0?[0-7]{3,4}$/.test(v), 'a mode in octal digits, like "0640"')
  .transform((v) => normaliseMode(v));

export const ownership = {
  owner: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/, 'a user name').optional(),
  group: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/, 'a group name').optional(),
  mode: modeParam.optional(),
};

export interface Wanted {
  owner?: string;
  group?: string;
  mode?: string;
}

export interface PathState {
  /** stat's %F: 'regular file', 'directory', 'symbolic link', … ; null when missing */
  type: string | null;
  owner: string;
  group: string;
  mode: string;
}

export function normaliseMode(mode: string): string {
  return mode.replace(/^0*(?=[0-7]{3,4}$)/, '').padStart(4, '0');
}

export function parseStat(line: string | undefined): PathState {
  const text = (line ?? '').trim();
  if (text === '' || text === 'missing') return { type: null, owner: '', group: '', mode: '' };
  const [type = '', owner = '', group = '', mode = ''] = text.split('|');
  return { type, owner, group, mode: normaliseMode(mode) };
}

export function metadataChanges(path: string, have: PathState, want: Wanted): Change[] {
  const changes: Change[] = [];
  if (want.owner !== undefined && have.owner !== want.owner) changes.push({ subject: `${path} owner`, kind: 'set', before: have.owner || null, after: want.owner });
  if (want.group !== undefined && have.group !== want.group) changes.push({ subject: `${path} group`, kind: 'set', before: have.group || null, after: want.group });
  if (want.mode !== undefined && have.mode !== want.mode) changes.push({ subject: `${path} mode`, kind: 'set', before: have.mode || null, after: want.mode });
  return changes;
}

/**
 * chown/chgrp/chmod commands for `target` (a path or a quoted shell expression). Owner
 * and group never follow a symlink (`-h`); modules refuse a symlink where they expect a
 * file or directory before they get here, so chmod (which has no such option in
 * bookworm's coreutils) only meets what the probe saw.
 */
export function metadataCommands(target: ShellText, want: Wanted, recurse = false): ShellText[] {
  const commands: ShellText[] = [];
  const options = recurse ? sh`-h -R` : sh`-h`;
  if (want.owner !== undefined && want.group !== undefined) commands.push(sh`chown ${options} -- ${`${want.owner}:${want.group}`} ${target}`);
  else if (want.owner !== undefined) commands.push(sh`chown ${options} -- ${want.owner} ${target}`);
  else if (want.group !== undefined) commands.push(sh`chgrp ${options} -- ${want.group} ${target}`);
  if (want.mode !== undefined) commands.push(sh`chmod -- ${want.mode} ${target}`);
  return commands;
}
