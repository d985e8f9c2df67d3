// What Ansible's editing modules (lineinfile, blockinfile, replace) share in tend: the
// path and its aliases, the file options tend refuses by name, a probe that reads the
// file's bytes exactly (base64, so no byte is lost to decoding) through the safe walk,
// and the plan that writes new bytes atomically with a backup named as Ansible names it.
//
// Ansible follows a symbolic link at `path` (it reads the target and writes realpath),
// so these modules do too, each step of the link under the safe walk's rule.
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { ProbeFailed, type Change, type Plan, type Probed } from '../../src/module.ts';
import { quote, sh, ShellText } from '../../src/shell.ts';
import { fileMetadataScript, stagedReplaceScript } from './atomic.ts';
import { metadataChanges, ownership, parseStat, type PathState } from './metadata.ts';
import { probeInParentOf, refuseUnsafe } from './safe-path.ts';
import { pythonRegexProblem } from './python-regex.ts';
import { absolutePath } from './words.ts';

/** Ansible's path parameter and its aliases (one of them is given). */
export const pathParams = {
  path: absolutePath.optional().describe('the file (aliases: dest, destfile, name)'),
  dest: absolutePath.optional().describe('alias of path'),
  destfile: absolutePath.optional().describe('alias of path'),
  name: absolutePath.optional().describe('alias of path'),
};

const REFUSED = ['validate', 'attributes', 'attr', 'seuser', 'serole', 'setype', 'selevel'] as const;

/** Options of Ansible's that tend refuses by name rather than ignore. */
export const refusedParams = {
  ...Object.fromEntries(REFUSED.map((k) => [k, z.unknown().optional().describe('(refused: tend does not support it)')])),
  unsafe_writes: z.boolean().optional().describe('false only (tend always writes atomically)'),
} as Record<(typeof REFUSED)[number], z.ZodOptional<z.ZodUnknown>> & { unsafe_writes: z.ZodOptional<z.ZodBoolean> };

export const fileParams = { ...pathParams, ...refusedParams, ...ownership, backup: z.boolean().default(false).describe('keep the old file as PATH.NNNN.YYYY-MM-DD@HH:MM:SS~ (a hard link)') };

type WithPath = { path?: string; dest?: string; destfile?: string; name?: string };

export function targetPath(p: WithPath): string {
  return p.path ?? p.dest ?? p.destfile ?? p.name ?? '';
}

/** Checks shared by the three modules, for a schema's superRefine. */
export function checkFileParams(module: string, p: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const given = ['path', 'dest', 'destfile', 'name'].filter((k) => p[k] !== undefined);
  if (given.length === 0) ctx.addIssue({ code: 'custom', message: 'path is required (aliases: dest, destfile, name)', path: [] });
  if (given.length > 1) ctx.addIssue({ code: 'custom', message: `${given.join(' and ')} are one parameter (path and its aliases): give one`, path: [given[1]!] });
  const why: Record<string, string> = {
    validate: `tend's ${module} does not run validate commands`,
    attributes: 'tend does not set file attributes (chattr)',
    attr: 'tend does not set file attributes (chattr)',
    seuser: 'tend does not manage SELinux contexts',
    serole: 'tend does not manage SELinux contexts',
    setype: 'tend does not manage SELinux contexts',
    selevel: 'tend does not manage SELinux contexts',
  };
  for (const k of REFUSED) if (p[k] !== undefined && p[k] !== null) ctx.addIssue({ code: 'custom', message: `not supported: ${why[k]}`, path: [k] });
  if (p.unsafe_writes === true) ctx.addIssue({ code: 'custom', message: 'true is not supported: tend always replaces files atomically', path: ['unsafe_writes'] });
}

/**
 * One section: line 1 what stands at the path (`missing`, `directory`, or stat's
 * `%F|%U|%G|%a`), line 2 the content in base64 (a regular file's), line 3 the umask,
 * user and group the writes run as, line 4 the file's path once links are followed.
 */
export function editProbe(path: string): ShellText {
  const who = sh`printf '%s|%s|%s\\n' "$(umask)" "$(id -un)" "$(id -gn)"`;
  return probeInParentOf(
    path,
    sh`if [ -d "$tend_name" ]; then printf 'directory\\n\\n'
elif [ -f "$tend_name" ]; then stat -c '%F|%U|%G|%a' -- "$tend_name" && base64 -w0 -- "$tend_name" && echo || exit 1
elif [ -e "$tend_name" ]; then stat -c '%F|%U|%G|%a' -- "$tend_name"; echo
else printf 'missing\\n\\n'; fi
${who}
printf '%s\\n' "\${tend_dir%/}/$tend_name"`,
    sh`printf 'missing\\n\\n'
${who}
printf '%s\\n' ${path}`,
    { follow: true },
  );
}

export interface Edited {
  /** The path as the task gives it. */
  path: string;
  /** The file once links are followed. */
  resolved: string;
  stat: PathState;
  /** The content, one character per byte; null when there is no file. */
  bytes: string | null;
  umask: number;
  user: string;
  group: string;
}

export function readProbe(path: string, probed: Probed): Edited {
  const section = probed.sections[0] ?? probed.stdout;
  refuseUnsafe(section);
  if (probed.code !== 0) throw new ProbeFailed(probed.stderr.trim() || `probe exited ${probed.code}`);
  const [head = '', b64 = '', who = '', ...rest] = section.split('\n');
  const resolved = rest.join('\n').replace(/\n$/, '') || path;
  if (head === 'directory') throw new Error(`Path ${path} is a directory !`);
  const stat = parseStat(head);
  if (stat.type !== null && stat.type !== 'regular file' && stat.type !== 'regular empty file') throw new Error(`${path} is a ${stat.type}, not a regular file`);
  const [umask = '0022', user = '', group = ''] = who.split('|');
  return { path, resolved, stat, bytes: stat.type === null ? null : Buffer.from(b64, 'base64').toString('latin1'), umask: parseInt(umask, 8) || 0o22, user, group };
}

const backups = new WeakMap<Plan, string>();

/** Ansible's backup name: PATH.PID.YYYY-MM-DD@HH:MM:SS~ (a random number for the PID). */
function backupSuffix(now = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `.${randomInt(1000, 100000)}.${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}@${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}~`;
}

export interface Want {
  owner?: string;
  group?: string;
  mode?: string;
  backup: boolean;
}

/** What a module's parameters ask of the file besides its content. */
export const wantOf = (p: Want): Want => ({ owner: p.owner, group: p.group, mode: p.mode, backup: p.backup });

/**
 * `insertafter`/`insertbefore`: `keyword` (EOF, BOF) or a Python pattern over bytes,
 * checked when read (a template is checked once rendered).
 */
export const insertionPattern = (keyword: string) =>
  z
    .string()
    .superRefine((v, ctx) => {
      if (v === keyword || v.includes('{{') || v.includes('{%')) return;
      const problem = pythonRegexProblem(v, 'bytes');
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional();

/**
 * The plan for new bytes (null: the content stays): a content change with the diff, the
 * owner/group/mode changes, and the atomic write (making missing directories for a new
 * file, as Ansible's create does).
 */
export function writePlan(e: Edited, after: string | null, want: Want): Plan {
  const wanted = { owner: want.owner, group: want.group, mode: want.mode };
  const exists = e.bytes !== null;
  const shown = e.resolved === e.path ? e.path : e.resolved;
  if (after === null || after === e.bytes) {
    if (!exists) return { changes: [], commands: [] };
    const meta = metadataChanges(shown, e.stat, wanted);
    return { changes: meta, commands: meta.length > 0 ? [fileMetadataScript(e.path, wanted, { follow: true })] : [] };
  }
  const text = (b: string) => Buffer.from(b, 'latin1').toString('utf8');
  const changes: Change[] = [
    { subject: shown, kind: 'content', before: exists ? text(e.bytes!) : null, after: text(after), ...(exists ? {} : { reason: 'new file' }) },
    ...(exists ? metadataChanges(shown, e.stat, wanted) : []),
  ];
  const encoded = Buffer.from(after, 'latin1').toString('base64');
  let produce = new ShellText(`printf '%s' ${quote(encoded)} | base64 -d > new`);
  let backup: string | undefined;
  if (want.backup && exists) {
    const suffix = backupSuffix();
    backup = `${e.path}${suffix}`;
    produce = sh`${produce} && ln -P -- "../$tend_name" "../$tend_name"${new ShellText(quote(suffix))}`;
  }
  const newFileMode = (0o666 & ~e.umask).toString(8).padStart(4, '0');
  const plan: Plan = {
    changes,
    commands: [stagedReplaceScript({ path: e.path, follow: true, produce, want: wanted, exists, createParents: !exists, newFileMode })],
  };
  if (backup !== undefined) backups.set(plan, backup);
  return plan;
}

/** The backup a plan makes, if any. */
export function backupOf(plan: Plan): string | undefined {
  return backups.get(plan);
}

/**
 * Ansible's message once owner, group and mode are set: "… and ownership, perms or SE
 * linux context changed" when they changed (for a new file: when they differ from what
 * a new file gets).
 */
export function withAttributes(e: Edited, want: Want, plan: Plan, changed: boolean, msg: string, check: boolean): { changed: boolean; msg: string } {
  let attrs: boolean;
  if (e.bytes !== null) attrs = plan.changes.some((c) => c.kind === 'set');
  // In check mode Ansible stops before a new file's attributes.
  else if (!changed || check) attrs = false;
  else {
    const mode = (0o666 & ~e.umask).toString(8).padStart(4, '0');
    attrs = (want.mode !== undefined && want.mode !== mode) || (want.owner !== undefined && want.owner !== e.user) || (want.group !== undefined && want.group !== e.group);
  }
  if (!attrs) return { changed, msg };
  return { changed: true, msg: `${msg}${changed ? ' and ' : ''}ownership, perms or SE linux context changed` };
}

/** Splits bytes after each `\n` (Python's readlines on a binary file). */
export function readlines(bytes: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (let i = bytes.indexOf('\n'); i >= 0; i = bytes.indexOf('\n', at)) {
    out.push(bytes.slice(at, i + 1));
    at = i + 1;
  }
  if (at < bytes.length) out.push(bytes.slice(at));
  return out;
}

/** Python's bytes.splitlines(keepends=True): breaks at \n, \r and \r\n. */
export function splitlines(bytes: string): string[] {
  return bytes.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** Python's rstrip(b'\r\n'). */
export const rstripEol = (s: string): string => s.replace(/[\r\n]+$/, '');
