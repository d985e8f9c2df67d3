// One file's whole content made true: text (copy's `content`, a rendered template) or a
// file of the controller's (copy's `src`), with owner, group and mode; written by the
// staged atomic replace (atomic.ts) after the safe walk (safe-path.ts). Shared by copy and
// template. The probe reads three sections, each in the directory holding the path: what
// stands there (`link TARGET` for a symlink), its stat line (of the link's target with
// follow), and the content (or its SHA-256 for a controller file).
import { sh, ShellText } from '../../src/shell.ts';
import { isHostRendered, ProbeFailed, type Change, type HostRendered, type Plan, type Probed } from '../../src/module.ts';
import { atomicWriteScript, fileMetadataScript, inParentOf, stagedReplaceScript } from './atomic.ts';
import { enterParentOf, probeInParentOf, refuseUnsafe } from './safe-path.ts';
import { metadataChanges, parseStat, type Wanted } from './metadata.ts';
import { resultingMode } from './mode.ts';

export interface FileWrite {
  path: string;
  /** The whole content; a template not yet rendered for the host is an error. */
  content?: string | HostRendered;
  /** A file of the controller's, streamed, compared by `src_sha256`. */
  src?: string;
  src_sha256?: string;
  src_size?: number;
  /** `src` is a file of the host's (copy's remote_src), read through the safe walk. */
  remote?: boolean;
  backup: boolean;
  /** The backup's name beside the file (chosen by the plan, so a result can say it). */
  backupName?: string;
  validate?: string;
  follow: boolean;
  /** Never show the content; a new file is 0600 from its first byte unless `mode` says. */
  secret: boolean;
  /** false: only a missing file is written; one that exists keeps its content. */
  force?: boolean;
  owner?: string;
  group?: string;
  /** Four octal digits, or symbolic clauses applied to the file's mode. */
  mode?: string;
}

export function writeProbe(p: FileWrite): ShellText[] {
  return [
    probeInParentOf(
      p.path,
      sh`if [ -L "$tend_name" ]; then printf 'link %s\\n' "$(readlink -f -- "$tend_name")"; else echo plain; fi`,
      sh`echo plain`,
    ),
    probeInParentOf(
      p.path,
      sh`if [ -d "$tend_name" ] && [ ! -L "$tend_name" ]; then echo directory; exit 0; fi
if [ -e "$tend_name" ] || [ -L "$tend_name" ]; then stat -c '%F|%U|%G|%a' -- "$tend_name"; else echo missing; fi`,
      sh`echo missing`,
      { follow: p.follow },
    ),
    p.src !== undefined
      ? probeInParentOf(p.path, sh`if [ -f "$tend_name" ]; then sha256sum -- "$tend_name"; fi`, sh`:`, { follow: p.follow, quiet: true })
      : probeInParentOf(p.path, sh`if [ -f "$tend_name" ]; then cat -- "$tend_name"; fi`, sh`:`, { follow: p.follow, quiet: true }),
  ];
}

/** The mode wanted, as octal digits for a file whose mode is `current` ('' when new). */
function octalWanted(mode: string | undefined, current: string): string | undefined {
  return mode === undefined ? undefined : resultingMode(mode, current || '0644', false);
}

export function writePlan(p: FileWrite, probed: Probed): Plan {
  if (probed.code !== 0) throw new ProbeFailed(probed.stderr.trim() || `probe exited ${probed.code}`);
  const [standing = '', statLine = '', current = ''] = probed.sections;
  refuseUnsafe(standing);
  // With follow, the link's target may be unsafe where the link itself was not.
  refuseUnsafe(statLine);
  const link = /^link (.*)$/.exec(standing.trim());
  if (link && !p.follow) {
    throw new Error(`${p.path} is a symbolic link (to ${link[1]}); set follow: true to manage the file it points to`);
  }
  // With follow, the file is the link's target: shown by its resolved path, reached at
  // apply time by the same safe walk, told to follow the link.
  const path = link && p.follow ? link[1]! : p.path;
  const walk = { follow: p.follow };
  const shownPath = path === p.path ? undefined : path;
  if (statLine.trim() === 'directory') throw new Error(`${path} is a directory, not a file`);
  const have = parseStat(statLine);
  const exists = have.type !== null;
  if (exists && have.type !== 'regular file' && have.type !== 'regular empty file') {
    throw new Error(`${path} is a ${have.type}, not a regular file`);
  }
  const want: Wanted = { owner: p.owner, group: p.group, mode: octalWanted(p.mode, have.mode) };
  // A secret file is never readable by others, from its first byte.
  const newFileMode = p.secret ? '0600' : undefined;
  const keep = exists && p.force === false;

  if (p.src !== undefined && !keep) {
    if (p.src_sha256 === undefined) throw new Error(`src ${p.src}: must name a file when the playbook is read (no templates)`);
    // Compared by hash, copied by streaming: binary files and large ones alike.
    const haveHash = exists ? current.trim().split(/\s+/)[0] : undefined;
    if (!exists || haveHash !== p.src_sha256) {
      const short = (h: string | undefined) => (h ? `sha256 ${h.slice(0, 12)}…` : null);
      const backupName = p.backupName;
      const backedUp = backupChange(p, path, exists);
      if (p.remote) {
        // Read in a subshell that walks to it (following links, each step checked); `> new` is opened first, in the staging directory.
        const produce = new ShellText(`(\n${enterParentOf(p.src, { follow: true }).text}\ncat -- "$tend_name"\n) > new`);
        return {
          changes: [
            { subject: path, kind: 'set', before: exists ? short(haveHash) : null, after: `${short(p.src_sha256)} (from ${p.src} on the host)`, reason: exists ? 'content differs' : 'new file' },
            ...(exists ? metadataChanges(path, have, want) : []),
            ...backedUp,
          ],
          commands: [stagedReplaceScript({ path: p.path, ...walk, shownPath, produce, want, exists, backup: p.backup, backupName, validate: p.validate, newFileMode })],
        };
      }
      return {
        changes: [
          { subject: path, kind: 'set', before: exists ? short(haveHash) : null, after: `${short(p.src_sha256)} (${p.src_size} bytes from ${p.src})`, reason: exists ? 'content differs' : 'new file' },
          ...(exists ? metadataChanges(path, have, want) : []),
          ...backedUp,
        ],
        commands: [],
        upload: { file: p.src, script: stagedReplaceScript({ path: p.path, ...walk, shownPath, produce: sh`cat > new`, want, exists, backup: p.backup, backupName, validate: p.validate, newFileMode }) },
      };
    }
  } else if (!keep) {
    if (isHostRendered(p.content)) throw new Error(`${p.path}: the template was not rendered for this host`);
    const wanted = p.content ?? '';
    if (!exists || wanted !== current) {
      const changes: Change[] = [
        { subject: path, kind: 'content', before: exists ? current : null, after: wanted, secret: p.secret, ...(exists ? {} : { reason: 'new file' }) },
        ...(exists ? metadataChanges(path, have, want) : []),
        ...backupChange(p, path, exists),
      ];
      const commands: ShellText[] = [atomicWriteScript({ path: p.path, ...walk, shownPath, content: wanted, want, exists, backup: p.backup, backupName: p.backupName, validate: p.validate, newFileMode })];
      return { changes, commands };
    }
  }
  const meta = metadataChanges(path, have, want);
  // Through a hard link in our staging directory: a link swapped in since the probe is refused.
  return { changes: meta, commands: meta.length > 0 ? [fileMetadataScript(p.path, want, walk)] : [] };
}

/** The backup a write makes, as a change (its name chosen by the plan, so a result can say it). */
function backupChange(p: FileWrite, path: string, exists: boolean): Change[] {
  if (!p.backup || !exists || p.backupName === undefined) return [];
  return [{ subject: `${path} backup`, kind: 'add', before: null, after: `${path.replace(/\/[^/]*$/, '')}/${p.backupName}` }];
}

/** Removes the file (a link standing there is removed itself, never what it points to). */
export function removeFile(path: string): ShellText {
  return inParentOf(path, sh`rm -f -- "$tend_name"`);
}
