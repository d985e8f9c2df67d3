// file: what stands at a path, as Ansible's file module says it: a file's owner, group,
// mode and times (`state: file`), a directory (made with its parents; `recurse` for all it
// holds), a symbolic or hard link to `src`, an empty file or new times (`touch`), or
// nothing (`absent`). Without `state`, the state the path has now (a file when it is
// missing). Content is copy's and template's. Every path is reached by the safe walk
// (safe-path.ts); links inside a recursed directory are never followed.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isHostRendered, ProbeFailed, type Change, type HostRendered, type Plan, type Probed, type TaskModule } from '../../src/module.ts';
import { sh, ShellText } from '../../src/shell.ts';
import { fileMetadataScript, inParentOf, atomicWriteScript } from '../lib/atomic.ts';
import { enterDirectory, enterParentOf, probeInParentOf, refuseUnsafe } from '../lib/safe-path.ts';
import { absolutePath, oneLine } from '../lib/words.ts';
import { ownership } from '../lib/metadata.ts';
import { fileModeParam, isOctalMode, resultingMode } from '../lib/mode.ts';
import { removeFile, writePlan, writeProbe, type FileWrite } from '../lib/write-file.ts';
import { timeParam, timestampWanted, type Timestamp } from '../lib/timestamps.ts';

/** Keys of Ansible's file module tend refuses, with why. */
const REFUSED: Record<string, string> = {
  unsafe_writes: 'tend always writes through a private staging directory and an atomic rename; it has no in-place writes',
  attributes: 'tend does not set file attributes (chattr) yet',
  attr: 'tend does not set file attributes (chattr) yet',
  selevel: 'tend does not manage SELinux contexts',
  serole: 'tend does not manage SELinux contexts',
  setype: 'tend does not manage SELinux contexts',
  seuser: 'tend does not manage SELinux contexts',
  _original_basename: 'an internal parameter of Ansible’s',
  _diff_peek: 'an internal parameter of Ansible’s',
};

/** tend's file once wrote content; the new spelling of each old key. */
const GONE: Record<string, string> = {
  content: 'is gone from file: write `copy: {dest: …, content: …}`',
  template: 'is gone from file: write `template: {src: …, dest: …}`',
  lines: 'is gone from file: write one `lineinfile: {path: …, regexp: …, line: …}` task per line',
  target: 'was the old link module’s: write `file: {src: TARGET, dest: PATH, state: link}`',
  secret: 'is copy’s now: write `copy: {dest: …, content: …, secret: true}`',
  backup: 'is copy’s and template’s: file writes no content',
  validate: 'is copy’s and template’s: file writes no content',
  create: 'went with file’s lines:: lineinfile has it',
};

export const refusedKeys = (keys: readonly string[]) =>
  Object.fromEntries(keys.map((k) => [k, z.unknown().optional().describe(`(refused: ${REFUSED[k]})`)])) as Record<string, z.ZodOptional<z.ZodUnknown>>;

/** Adds an issue for each refused key given (unsafe_writes: false is what tend does anyway). */
export function refuseKeys(p: Record<string, unknown>, ctx: z.RefinementCtx, keys: readonly string[]): void {
  for (const key of keys) {
    if (p[key] === undefined || p[key] === null || (key === 'unsafe_writes' && p[key] === false)) continue;
    ctx.addIssue({ code: 'custom', path: [key], message: `${key} is not supported: ${REFUSED[key]}` });
  }
}

const REFUSED_KEYS = Object.keys(REFUSED);

const STATES = ['absent', 'directory', 'file', 'hard', 'link', 'touch'] as const;
type State = (typeof STATES)[number];

const params = z
  .object({
    path: absolutePath.optional().describe('the path managed (also dest: or name:)'),
    dest: absolutePath.optional().describe('(an alias of path)'),
    name: absolutePath.optional().describe('(an alias of path)'),
    state: z.enum(STATES).optional().describe('file, directory, link, hard, touch or absent; without it, what the path is now (file when missing)'),
    src: oneLine.pipe(z.string().min(1)).optional().describe('what a link points at (state link or hard); relative to the link’s directory'),
    force: z.boolean().default(false).describe('link: replace a file (or an empty directory) standing at path, and link to a src that does not exist'),
    follow: z.boolean().default(true).describe('a link standing at path is followed (under the safe walk’s rule): its target is managed'),
    recurse: z.boolean().default(false).describe('directory: owner, group and mode for everything inside too (links inside are not followed)'),
    mode: fileModeParam.optional().describe('octal ("0640") or symbolic (u=rwX,g=rX,o=)'),
    owner: ownership.owner,
    group: ownership.group,
    modification_time: timeParam.optional().describe('now, preserve, or a time in modification_time_format'),
    modification_time_format: z.string().default('%Y%m%d%H%M.%S'),
    access_time: timeParam.optional().describe('now, preserve, or a time in access_time_format'),
    access_time_format: z.string().default('%Y%m%d%H%M.%S'),
    ...refusedKeys(REFUSED_KEYS),
    // The template module's, when it has this module write what it rendered (a playbook's
    // file task never gives them: `resolve` refuses them with their new spelling).
    content: z.union([z.string(), z.custom<HostRendered>(isHostRendered)]).optional().describe('(the template module’s: the content it writes)'),
    backup: z.boolean().optional().describe('(the template module’s)'),
    validate: z.string().optional().describe('(the template module’s)'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const given = [p.path, p.dest, p.name].filter((v) => v !== undefined).length;
    if (given === 0) ctx.addIssue({ code: 'custom', path: ['path'], message: 'path is required (or dest: or name:)' });
    if (given > 1) ctx.addIssue({ code: 'custom', path: ['path'], message: 'give one of path, dest or name' });
    if (p.recurse && p.state !== undefined && p.state !== 'directory') ctx.addIssue({ code: 'custom', path: ['recurse'], message: "recurse option requires state to be 'directory'" });
    if (p.src !== undefined && p.state !== undefined && p.state !== 'link' && p.state !== 'hard') ctx.addIssue({ code: 'custom', path: ['src'], message: "src option requires state to be 'link' or 'hard' (a file's content is copy's: copy: {src: …, dest: …})" });
    if (p.recurse && (p.access_time !== undefined || p.modification_time !== undefined)) ctx.addIssue({ code: 'custom', path: ['recurse'], message: 'recurse with access_time or modification_time is not supported by tend yet' });
    refuseKeys(p, ctx, REFUSED_KEYS);
  });

export type FileParams = z.output<typeof params>;

type Params = FileParams;
/** The template module's call: a file's whole content (or, with none, its metadata only). */
const isContentWrite = (p: Params): boolean => p.backup !== undefined || p.content !== undefined || p.validate !== undefined;

const asWrite = (p: Params): FileWrite => ({
  path: pathOf(p),
  ...(p.content === undefined ? {} : { content: p.content }),
  backup: p.backup ?? false,
  validate: p.validate,
  follow: p.follow,
  secret: false,
  owner: p.owner,
  group: p.group,
  mode: p.mode,
  // No content: the file keeps what it holds (template's force: false).
  ...(p.content === undefined ? { force: false } : {}),
});

export const pathOf = (p: FileParams): string => (p.path ?? p.dest ?? p.name)!;

/** What stands at a path, as one probe section reads it. */
export interface Standing {
  /** stat's %F ('regular file', 'directory', 'symbolic link', …); null when nothing is there. */
  type: string | null;
  owner: string;
  group: string;
  /** Four octal digits. */
  mode: string;
  links: number;
  inode: string;
  uid: string;
  gid: string;
  size: number;
  atime: string;
  mtime: string;
  /** A symbolic link's target, as written. */
  target?: string;
  /** A directory holds nothing. */
  empty?: boolean;
  /** Where it is, after the walk (with follow: the link's target). */
  at: string;
}

const STAT = sh`stat -c '%F|%U|%G|%a|%h|%i|%u|%g|%s|%x|%y' -- "$tend_name"`;

/** A probe section describing what stands at `path` (followed when `follow`). */
function standingProbe(path: string, follow: boolean): ShellText {
  return probeInParentOf(
    path,
    sh`if [ -e "$tend_name" ] || [ -L "$tend_name" ]; then
${STAT}
if [ -L "$tend_name" ]; then printf 'target %s\\n' "$(readlink -- "$tend_name")"; fi
if [ -d "$tend_name" ] && [ ! -L "$tend_name" ]; then if [ -z "$(ls -A -- "$tend_name")" ]; then echo empty; else echo nonempty; fi; fi
else echo missing; fi
printf 'at %s/%s\\n' "\${tend_dir%/}" "$tend_name"`,
    sh`echo missing`,
    { follow },
  );
}

export function parseStanding(section: string): Standing {
  refuseUnsafe(section);
  const lines = section.split('\n');
  const at = lines.find((l) => l.startsWith('at '))?.slice(3) ?? '';
  if (lines[0] === 'missing' || lines[0] === undefined || lines[0] === '') {
    return { type: null, owner: '', group: '', mode: '', links: 0, inode: '', uid: '', gid: '', size: 0, atime: '', mtime: '', at };
  }
  const [type = '', owner = '', group = '', mode = '', links = '0', inode = '', uid = '', gid = '', size = '0', atime = '', mtime = ''] = lines[0].split('|');
  const target = lines.find((l) => l.startsWith('target '))?.slice('target '.length);
  const empty = lines.includes('empty') ? true : lines.includes('nonempty') ? false : undefined;
  return {
    type,
    owner,
    group,
    mode: mode.padStart(4, '0'),
    links: Number(links),
    inode,
    uid,
    gid,
    size: Number(size),
    atime,
    mtime,
    at,
    ...(target === undefined ? {} : { target }),
    ...(empty === undefined ? {} : { empty }),
  };
}

/** Ansible's name for what stands at a path: absent, link, directory, hard (a file with more than one name) or file. */
export function stateOf(s: Standing): State | 'absent' {
  if (s.type === null) return 'absent';
  if (s.type === 'symbolic link') return 'link';
  if (s.type === 'directory') return 'directory';
  return s.links > 1 ? 'hard' : 'file';
}

/** The path a link's src names, for the existence check: relative to the link's directory. */
const linkSource = (path: string, src: string) => (src.startsWith('/') ? src : `${path.replace(/\/[^/]*$/, '') || '/'}/${src}`);

const SCAN_LIMIT = 200000;

function probe(p: Params): readonly ShellText[] {
  if (isContentWrite(p)) return writeProbe(asWrite(p));
  const path = pathOf(p);
  const scan =
    p.recurse && (p.owner !== undefined || p.group !== undefined || p.mode !== undefined)
      ? probeInParentOf(
          path,
          sh`if [ -d "$tend_name" ] && cd -P -- "$tend_name"; then find . -mindepth 1 -printf '%y %m %u %g\\n' 2>/dev/null | head -n ${SCAN_LIMIT} | sort | uniq -c; fi`,
          sh`:`,
          { follow: p.follow, quiet: true },
        )
      : sh`true`;
  const src =
    p.src === undefined
      ? sh`true`
      : p.state === 'hard'
        ? probeInParentOf(p.src, sh`stat -L -c %i -- "$tend_name" 2>/dev/null || echo missing`, sh`echo missing`, { follow: true })
        : sh`if [ -e ${linkSource(path, p.src)} ]; then echo exists; else echo missing; fi`;
  return [standingProbe(path, false), p.follow ? standingProbe(path, true) : sh`true`, src, scan];
}

/** One (type, mode, owner, group) group of what a recursed directory holds. */
interface Held {
  count: number;
  type: string;
  mode: string;
  owner: string;
  group: string;
}

export function parseScan(section: string): Held[] {
  return section
    .split('\n')
    .map((l) => /^\s*(\d+) (\S) (\d+) (\S+) (\S+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ count: Number(m[1]), type: m[2]!, mode: m[3]!.padStart(4, '0'), owner: m[4]!, group: m[5]! }));
}

interface Ctx {
  p: FileParams;
  path: string;
  now: Standing;
  /** mode wanted as octal for what stands there now ('' type: a new one) */
  mode?: string;
}

const fail = (message: string): never => {
  throw new Error(message);
};

/** Owner, group and mode changes of one path (mode compared as four octal digits). */
function metadataOf(subject: string, have: Standing, p: FileParams, isDirectory: boolean, withMode = true): { changes: Change[]; mode?: string } {
  const changes: Change[] = [];
  if (p.owner !== undefined && have.owner !== p.owner) changes.push({ subject: `${subject} owner`, kind: 'set', before: have.owner || null, after: p.owner });
  if (p.group !== undefined && have.group !== p.group) changes.push({ subject: `${subject} group`, kind: 'set', before: have.group || null, after: p.group });
  let mode: string | undefined;
  if (withMode && p.mode !== undefined) {
    mode = resultingMode(p.mode, have.mode, isDirectory);
    if (mode !== have.mode) changes.push({ subject: `${subject} mode`, kind: 'set', before: have.mode || null, after: mode });
  }
  return { changes, ...(mode === undefined ? {} : { mode }) };
}

function timesOf(subject: string, have: Standing | null, p: FileParams, state: State): { changes: Change[]; touch: ShellText[] } {
  const defaults: Timestamp = state === 'touch' ? 'now' : 'preserve';
  const wanted = {
    m: timestampWanted(p.modification_time ?? defaults, p.modification_time_format, 'modification_time'),
    a: timestampWanted(p.access_time ?? defaults, p.access_time_format, 'access_time'),
  };
  const changes: Change[] = [];
  const touch: ShellText[] = [];
  if (wanted.m === 'now' && wanted.a === 'now') {
    changes.push({ subject: `${subject} times`, kind: 'set', before: have?.mtime ?? null, after: 'now', reason: 'touched' });
    touch.push(sh``);
    return { changes, touch };
  }
  for (const [flag, which, label] of [
    ['-m', wanted.m, 'modification time'],
    ['-a', wanted.a, 'access time'],
  ] as const) {
    if (which === 'preserve') continue;
    const before = (flag === '-m' ? have?.mtime : have?.atime) ?? '';
    if (which !== 'now' && before.startsWith(which) && /^\.0+ /.test(before.slice(which.length))) continue;
    changes.push({ subject: `${subject} ${label}`, kind: 'set', before: before.replace(/\.\d+ /, ' ') || null, after: which });
    touch.push(which === 'now' ? new ShellText(flag) : sh`${flag} -d ${which}`);
  }
  return { changes, touch };
}

function touchCommand(path: string, options: readonly ShellText[], follow: boolean, noCreate = true): ShellText {
  const words = options.filter((o) => o.text !== '').map((o) => o.text);
  return inParentOf(path, new ShellText(`touch ${noCreate ? '-c ' : ''}${follow ? '' : '-h '}${words.join(' ')} -- "$tend_name"`.replace(/ {2,}/g, ' ')), { follow });
}

/** chown/chgrp for the path itself, by its name in the walked directory, never following a link. */
function ownCommands(p: FileParams, target: ShellText, recurse = false): ShellText[] {
  const options = recurse ? sh`-h -R` : sh`-h`;
  if (p.owner !== undefined && p.group !== undefined) return [sh`chown ${options} -- ${`${p.owner}:${p.group}`} ${target}`];
  if (p.owner !== undefined) return [sh`chown ${options} -- ${p.owner} ${target}`];
  if (p.group !== undefined) return [sh`chgrp ${options} -- ${p.group} ${target}`];
  return [];
}

const changedOwner = (changes: Change[]) => changes.some((c) => c.subject.endsWith(' owner') || c.subject.endsWith(' group'));

function planAbsent(path: string, now: Standing): Plan {
  const state = stateOf(now);
  if (state === 'absent') return { changes: [], commands: [] };
  const change: Change = { subject: path, kind: 'remove', before: state === 'link' ? `symlink to ${now.target ?? '?'}` : state, after: null };
  // A directory goes with all it holds (rm never follows a link inside); a link goes itself.
  return { changes: [change], commands: [state === 'directory' ? inParentOf(path, sh`rm -rf -- "$tend_name"`) : removeFile(path)] };
}

function planFile(c: Ctx, followed: Standing | null): Plan {
  const { p, path } = c;
  let have = c.now;
  let follow = false;
  if (stateOf(have) === 'link' && p.follow) {
    have = followed ?? have;
    follow = true;
  }
  const state = stateOf(have);
  const shown = follow && have.at ? have.at : path;
  if (state !== 'file' && state !== 'hard') fail(`file (${shown}) is ${state}, cannot continue`);
  const { changes, mode } = metadataOf(shown, have, p, false);
  const times = timesOf(shown, have, p, 'file');
  const commands: ShellText[] = [];
  if (changes.length > 0) commands.push(fileMetadataScript(path, { owner: p.owner, group: p.group, mode }, { follow }));
  if (times.touch.length > 0) commands.push(touchCommand(path, times.touch, follow));
  return { changes: [...changes, ...times.changes], commands };
}

/** Commands run from inside the directory at `path`, reached by the safe walk, in a subshell of their own. */
function inDirectory(path: string, commands: readonly ShellText[], create = false): ShellText {
  return new ShellText(`(\n${enterDirectory(path, { create }).text}\n${commands.map((x) => x.text).join(' &&\n')}\n)`);
}

function planDirectory(c: Ctx, followed: Standing | null, scanned: Held[]): Plan {
  const { p, path } = c;
  let have = c.now;
  if (stateOf(have) === 'link' && p.follow) have = followed ?? have;
  const state = stateOf(have);
  const HERE = new ShellText('.');
  if (state === 'absent') {
    // Made with its parents; each directory made gets the owner, group and mode, as Ansible
    // gives them: `.` is the last, `..` the one before, while the walk made them.
    const mode = p.mode === undefined ? undefined : isOctalMode(p.mode) ? p.mode : p.mode;
    const meta = [...ownCommands(p, new ShellText('"$tend_d"')), ...(mode === undefined ? [] : [sh`chmod -- ${mode} "$tend_d"`])];
    const each =
      meta.length === 0
        ? []
        : [new ShellText(`tend_d=.; tend_i=0; while [ "$tend_i" -lt "$tend_made" ] || [ "$tend_i" = 0 ]; do ${meta.map((m) => m.text).join(' && ')} || exit 1; tend_i=$((tend_i + 1)); tend_d=$tend_d/..; done`)];
    return {
      changes: [{ subject: path, kind: 'add', before: null, after: 'directory' }],
      commands: [inDirectory(path, [sh`:`, ...each], true)],
    };
  }
  if (state !== 'directory') fail(`${have.at || path} already exists as a ${state}`);
  const shown = have.at || path;
  const { changes, mode } = metadataOf(shown, have, p, true);
  const fixes: ShellText[] = [];
  if (changedOwner(changes)) fixes.push(...ownCommands(p, HERE));
  if (mode !== undefined && mode !== have.mode) fixes.push(sh`chmod -- ${mode} .`);
  if (p.recurse) {
    const inside = scanned.filter((h) => (p.owner !== undefined && h.owner !== p.owner) || (p.group !== undefined && h.group !== p.group));
    const owned = inside.reduce((n, h) => n + h.count, 0);
    if (owned > 0) {
      changes.push({ subject: `${shown}/* ownership`, kind: 'set', before: `${owned} differ`, after: [p.owner, p.group].filter(Boolean).join(':') });
      // chown -R from inside: never follows a link (-h, and -R does not traverse them).
      fixes.push(...ownCommands(p, HERE, true));
    }
    if (p.mode !== undefined) {
      let moded = 0;
      const seen = new Set<string>();
      for (const h of scanned) {
        if (h.type === 'l') continue;
        const target = resultingMode(p.mode, h.mode, h.type === 'd');
        if (target === h.mode) continue;
        moded += h.count;
        const key = `${h.type} ${h.mode}`;
        if (seen.has(key)) continue;
        seen.add(key);
        fixes.push(sh`find . -mindepth 1 -type ${h.type} -perm ${h.mode} -exec chmod -- ${target} {} +`);
      }
      if (moded > 0) changes.push({ subject: `${shown}/* mode`, kind: 'set', before: `${moded} differ`, after: p.mode });
    }
  }
  const times = timesOf(shown, have, p, 'directory');
  if (times.touch.length > 0) fixes.push(new ShellText(`touch -c ${times.touch.map((t) => t.text).join(' ')} .`.replace(/ {2,}/g, ' ')));
  changes.push(...times.changes);
  return { changes, commands: fixes.length > 0 ? [inDirectory(path, fixes)] : [] };
}

/** A new link (symbolic or hard) beside the path under a random name, renamed over it: never a moment without one. */
function swapIn(path: string, make: ShellText, prelude: ShellText[] = []): ShellText {
  const staged = `.tend.${randomBytes(12).toString('hex')}`;
  const steps = [...prelude.map((x) => x.text), sh`${make} ${staged} && { mv -Tf -- ${staged} "$tend_name" || { rm -f -- ${staged}; exit 1; }; }`.text];
  return inParentOf(path, new ShellText(steps.join(' &&\n')));
}

function planLink(c: Ctx, srcSection: string): Plan {
  const { p, path, now } = c;
  const prev = stateOf(now);
  let src = p.src;
  if (src === undefined && p.follow && prev === 'link') src = now.target;
  if (!p.force && p.src !== undefined && srcSection.trim() === 'missing') {
    fail(`src file does not exist, use "force=yes" if you really want to create the link: ${linkSource(path, p.src)}`);
  }
  if (prev === 'directory') {
    if (!p.force) fail(`refusing to convert from directory to symlink for ${path}`);
    if (now.empty === false) fail(`the directory ${path} is not empty, refusing to convert it`);
  } else if ((prev === 'file' || prev === 'hard') && !p.force) fail(`refusing to convert from ${prev} to symlink for ${path}`);
  if (p.mode !== undefined) fail('mode on a link: a symbolic link has no mode of its own on Linux; set the mode of its target with a task of its own');
  const changes: Change[] = [];
  const commands: ShellText[] = [];
  const linked = prev === 'link' && (src === undefined || now.target === src);
  if (!linked) {
    if (src === undefined) fail('src is required for creating new symlinks');
    changes.push({ subject: path, kind: 'set', before: prev === 'link' ? `symlink to ${now.target}` : prev === 'absent' ? null : prev, after: `symlink to ${src}` });
    commands.push(swapIn(path, sh`ln -s -- ${src!}`, prev === 'directory' ? [sh`rmdir -- "$tend_name"`] : []));
  }
  // Owner and group of the link itself (chown -h).
  const have = linked ? now : { ...now, owner: '', group: '' };
  const meta = metadataOf(path, have, p, false, false);
  changes.push(...(linked ? meta.changes : []));
  const own = ownCommands(p, new ShellText('"$tend_name"'));
  if ((linked && meta.changes.length > 0) || (!linked && own.length > 0)) commands.push(inParentOf(path, new ShellText(own.map((x) => x.text).join(' && '))));
  const times = timesOf(path, linked ? now : null, p, 'link');
  changes.push(...times.changes);
  if (times.touch.length > 0) commands.push(touchCommand(path, times.touch, false));
  return { changes, commands };
}

function planHard(c: Ctx, srcSection: string): Plan {
  const { p, path, now } = c;
  const prev = stateOf(now);
  if (prev !== 'hard' && p.src === undefined) fail('src is required for creating new hardlinks');
  const srcInode = srcSection.trim();
  refuseUnsafe(srcInode);
  if (p.src !== undefined && (srcInode === 'missing' || srcInode === '')) fail(`src does not exist: ${p.src}`);
  let relink = false;
  if (prev === 'absent') relink = true;
  else if (prev === 'link') relink = true;
  else if (prev === 'hard' || prev === 'file') {
    if (p.src !== undefined && now.inode !== srcInode) {
      if (!p.force) fail(prev === 'hard' ? 'Cannot link, different hard link exists at destination' : `Cannot link, ${prev} exists at destination`);
      relink = true;
    }
  } else if (prev === 'directory') fail(`${path} is a directory: tend does not replace a directory with a hard link`);
  const changes: Change[] = [];
  const commands: ShellText[] = [];
  if (relink) {
    changes.push({ subject: path, kind: 'set', before: prev === 'absent' ? null : prev === 'link' ? `symlink to ${now.target}` : `${prev} (inode ${now.inode})`, after: `hard link to ${p.src}` });
    // The source is reached by the safe walk too; its real path, as the walk found it, is linked.
    const locate = new ShellText(`tend_src=$(\n${enterParentOf(p.src!, { follow: true }).text}\nprintf '%s/%s' "$(pwd -P)" "$tend_name"\n) || exit 1`);
    commands.push(swapIn(path, new ShellText('ln -P -- "$tend_src"'), [locate]));
  }
  // After a relink the file is the source's: its owner and mode are read again next run.
  const meta = metadataOf(path, relink ? { ...now, owner: '', group: '', mode: '' } : now, p, false);
  if (!relink) changes.push(...meta.changes);
  const want = { owner: p.owner, group: p.group, mode: p.mode === undefined ? undefined : isOctalMode(p.mode) ? p.mode : meta.mode };
  if ((relink && (p.owner ?? p.group ?? want.mode) !== undefined) || (!relink && meta.changes.length > 0)) commands.push(fileMetadataScript(path, want));
  return { changes, commands };
}

function planTouch(c: Ctx, followed: Standing | null): Plan {
  const { p, path } = c;
  let have = c.now;
  let follow = false;
  if (stateOf(have) === 'link' && p.follow && followed && followed.type !== null) {
    have = followed;
    follow = true;
  }
  const state = stateOf(have);
  const changes: Change[] = [];
  const commands: ShellText[] = [];
  if (state === 'absent') {
    changes.push({ subject: path, kind: 'add', before: null, after: 'empty file' });
    const mode = p.mode === undefined ? undefined : resultingMode(p.mode, '0644', false);
    commands.push(atomicWriteScript({ path, content: '', want: { owner: p.owner, group: p.group, mode }, exists: false }));
  } else {
    const meta = metadataOf(have.at || path, have, p, state === 'directory', state !== 'link');
    changes.push(...meta.changes);
    if (meta.changes.length > 0) {
      const own = ownCommands(p, new ShellText('"$tend_name"'));
      const mode = meta.mode !== undefined && meta.mode !== have.mode ? [sh`chmod -- ${meta.mode} "$tend_name"`] : [];
      if (state === 'file' || state === 'hard') commands.push(fileMetadataScript(path, { owner: p.owner, group: p.group, mode: meta.mode }, { follow }));
      else commands.push(inParentOf(path, new ShellText([...own, ...mode].map((x) => x.text).join(' && ')), { follow }));
    }
  }
  const times = timesOf(path, state === 'absent' ? null : have, p, 'touch');
  changes.push(...times.changes.filter(() => state !== 'absent' || changes.length === 0));
  if (times.touch.length > 0) commands.push(touchCommand(path, times.touch, follow));
  return { changes, commands };
}

/** The state a task without `state:` means: what is there, else a directory with recurse, else file. */
export function implicitState(p: FileParams, now: Standing): State {
  if (p.state !== undefined) return p.state;
  const prev = stateOf(now);
  if (prev !== 'absent') return prev;
  return p.recurse ? 'directory' : 'file';
}

function plan(p: Params, probed: Probed): Plan {
  if (isContentWrite(p)) return writePlan(asWrite(p), probed);
  if (probed.code !== 0) throw new ProbeFailed(probed.stderr.trim() || `probe exited ${probed.code}`);
  const [nowText = '', followedText = '', srcSection = '', scanText = ''] = probed.sections;
  const path = pathOf(p);
  const now = parseStanding(nowText);
  const state = implicitState(p, now);
  if (p.recurse && state !== 'directory') fail("recurse option requires state to be 'directory'");
  if (p.src !== undefined && state !== 'link' && state !== 'hard') fail("src option requires state to be 'link' or 'hard'");
  // The followed view matters only where the plan follows the link (and must be safe then).
  const followed = () => (p.follow && stateOf(now) === 'link' ? parseStanding(followedText) : null);
  const c: Ctx = { p, path, now };
  switch (state) {
    case 'absent':
      return planAbsent(path, now);
    case 'file':
      return planFile(c, followed());
    case 'directory':
      return planDirectory(c, followed(), parseScan(scanText));
    case 'link':
      return planLink(c, srcSection);
    case 'hard':
      return planHard(c, srcSection);
    case 'touch':
      return planTouch(c, followed());
  }
}

/** Ansible's return keys, from what the probe read and what the plan changes. */
function returns(p: Params, probed: Probed, planned: Plan): Record<string, unknown> {
  if (isContentWrite(p)) return { path: pathOf(p) };
  const path = pathOf(p);
  const now = parseStanding(probed.sections[0] ?? '');
  const state = implicitState(p, now);
  const key = state === 'link' || state === 'hard' || state === 'touch' ? 'dest' : 'path';
  const out: Record<string, unknown> = { [key]: path, ...(p.src === undefined ? {} : { src: p.src }) };
  const final = state === 'touch' ? (stateOf(now) === 'absent' ? 'file' : stateOf(now)) : state;
  out.state = final;
  if (final === 'absent') return out;
  const after = (subject: string) => planned.changes.find((ch) => ch.subject.endsWith(` ${subject}`))?.after ?? undefined;
  const fresh = stateOf(now) === 'absent' || planned.changes.some((ch) => ch.subject === path && ch.kind !== 'content');
  out.owner = p.owner ?? (fresh ? undefined : now.owner);
  out.group = p.group ?? (fresh ? undefined : now.group);
  out.mode = after('mode') ?? (fresh ? undefined : now.mode);
  if (!fresh && p.owner === undefined) out.uid = Number(now.uid);
  if (!fresh && p.group === undefined) out.gid = Number(now.gid);
  if (!fresh) out.size = now.size;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

const file: TaskModule<Params> = {
  name: 'file',
  summary: 'what stands at a path: a file’s owner, group, mode and times, a directory, a symbolic or hard link, a touched file, or nothing (Ansible’s file module)',
  params: params as unknown as z.ZodType<Params>,
  example: `file:\n  path: /var/spool/postfix/var/run/saslauthd\n  state: directory\n  owner: root\n  group: sasl\n  mode: "0710"`,
  // A playbook's task, as written: tend's old keys are refused with their new spelling.
  resolve: (raw) => {
    const gone = Object.keys(GONE).find((k) => raw[k] !== undefined);
    if (gone) throw new Error(`${gone}: ${GONE[gone]}`);
    return raw;
  },
  probe,
  plan,
  returns,
};

export default file;
