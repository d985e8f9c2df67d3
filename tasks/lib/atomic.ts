// Replacing a file so that nothing is ever lost, half-written, exposed or redirected.
//
// The script first walks to the target's directory component by component
// (safe-path.ts: no step from another user's directory to something not theirs) and
// stays there. The new file is made inside a private staging directory, created
// exclusively (mkdir fails if the name exists) with a random name beside the target,
// mode 0700, owned by us. The script enters it once (`cd -P`) and then works by
// relative name only (the target is "../$tend_name"): a user
// who owns the target's directory (root managing ~alice/.ssh/authorized_keys) can
// rename or replace the staging directory's entry, but not what is inside it, and our
// working directory stays the one we made. Inside: the file is created empty (umask
// 077), gets its final owner and mode, and only then receives its content; `validate`
// runs on it; the old file is kept as a hard link when `backup` asks (a link cannot be
// redirected, unlike a copy to a predictable name); `mv` renames it over the target in
// one step. Whatever fails, and on HUP/INT/TERM, the staging directory is removed and
// the old file is whole.
import { randomBytes } from 'node:crypto';
import { quote, sh, ShellText } from '../../src/shell.ts';
import { metadataCommands, type Wanted } from './metadata.ts';
import { enterParentOf, type Walk } from './safe-path.ts';

/** The staged file's name inside the staging directory (our working directory). */
export const STAGED = new ShellText('new');

export interface StagedReplace {
  /** The file to replace (never a symlink: modules resolve or refuse those first). */
  path: string;
  /** Writes the new content into `new` in the working directory. */
  produce: ShellText;
  /** Owner, group and mode for the new file; unset ones are copied from the old file. */
  want: Wanted;
  /** Whether a file is there now (its owner and mode are kept unless `want` says). */
  exists: boolean;
  backup?: boolean;
  /** A command run on the new file before it replaces the old; `%s` is its path. */
  validate?: string;
  /** Random hex for the staging directory's name (tests pass a fixed one). */
  nonce?: string;
  /** Follow a symbolic link standing at `path` (the safe walk's rule applies to it too). */
  follow?: boolean;
  /** Make missing directories on the way, each checked as the walk enters it. */
  createParents?: boolean;
  /** The file's path as shown and as validate's %s sees it, when it differs from `path` (follow). */
  shownPath?: string;
  /** The mode of a new file when `want` gives none (0644; 0600 for secrets), set before its first byte. */
  newFileMode?: string;
  /** The backup's name beside the file (default: NAME.YYYYMMDD-HHMMSS~ by the host's clock). */
  backupName?: string;
}

function dirOf(path: string): string {
  return path.replace(/\/[^/]*$/, '') || '/';
}

export function stagedReplaceScript(w: StagedReplace): ShellText {
  const nonce = w.nonce ?? randomBytes(12).toString('hex');
  const stage = `.tend.${nonce}`;
  // What validate's %s names: the staged file, by the path the task gave (or, with
  // follow, the file the link led to, as the probe saw it).
  const staged = `${dirOf(w.shownPath ?? w.path)}/${stage}/new`;
  const old = new ShellText('"../$tend_name"');
  const metadata = w.exists
    ? [
        // Owner and mode of the old file, then what the task wants on top.
        ...(w.want.owner === undefined || w.want.group === undefined ? [sh`chown -h --reference=${old} new`] : []),
        ...(w.want.mode === undefined ? [sh`chmod --reference=${old} new`] : []),
        ...metadataCommands(STAGED, w.want),
      ]
    : [...metadataCommands(STAGED, w.want), ...(w.want.mode === undefined ? [sh`chmod ${w.newFileMode ?? '0644'} new`] : [])];
  const steps: ShellText[] = [...enterStaging(stage), sh`umask 077`, sh`: > new`, ...metadata, w.produce];
  if (w.validate !== undefined) {
    // %s becomes the staged file's path as a literal, so it means the same inside
    // quotes as outside them.
    const command = w.validate.replaceAll('%s', /^[A-Za-z0-9_@%+=:,./-]+$/.test(staged) ? staged : quote(staged));
    steps.push(new ShellText(`( ${command} ) || { echo ${quote(`validate failed: ${w.validate}`)} >&2; exit 1; }`));
  }
  // The backup is named for when it was made: `main.cf.20261127-014502~`.
  if (w.backup && w.exists) {
    const name = w.backupName === undefined ? new ShellText('"../$tend_name.$(date +%Y%m%d-%H%M%S)~"') : sh`${`../${w.backupName}`}`;
    steps.push(sh`ln -P -- "../$tend_name" ${name}`);
  }
  steps.push(sh`mv -fT -- new ${old}`);
  return inStagingDirectory(w.path, stage, steps, { follow: w.follow, create: w.createParents });
}

/** The steps that make the staging directory and enter it, checked to be ours, private and empty. */
function enterStaging(stage: string): ShellText[] {
  return [
    sh`mkdir -m 0700 -- ${stage}`,
    sh`cd -P -- ${stage}`,
    sh`tend_staged=1`,
    // The directory we are in is the one we made: ours, private, empty.
    new ShellText(`{ [ "$(stat -c '%u %a' .)" = "$(id -u) 700" ] && [ -z "$(ls -A)" ]; } || { echo 'tend: the staging directory was tampered with' >&2; exit 1; }`),
  ];
}

/**
 * A subshell that walks safely to the directory holding `path`, makes the staging
 * directory there and runs `steps` inside it; the `cd` and the traps stay inside the
 * subshell. The EXIT trap removes the staging directory however the subshell ends
 * (from inside it, `..` is the walked directory: a directory of ours, mode 0700, cannot
 * be moved to another parent by anyone else); signals end it through the EXIT trap.
 */
function inStagingDirectory(path: string, stage: string, steps: readonly ShellText[], walk: Walk): ShellText {
  return new ShellText(
    [
      '(',
      enterParentOf(path, walk).text,
      'tend_staged=',
      `trap ${quote(`if [ "$tend_staged" = 1 ]; then cd -P ..; fi && rm -rf -- ${stage}`)} EXIT`,
      "trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM",
      steps.map((s) => s.text).join(' &&\n'),
      ')',
    ].join('\n'),
  );
}

/**
 * Owner, group and mode of an existing file changed without a path anyone else could
 * redirect: the file is hard-linked into our private staging directory (a hard link to a
 * symlink, if one was swapped in, stays a symlink and is refused), and changed there:
 * the same inode, reached through a name only we control.
 */
export function fileMetadataScript(path: string, want: Wanted, walk: Walk = {}, nonce = randomBytes(12).toString('hex')): ShellText {
  const stage = `.tend.${nonce}`;
  return inStagingDirectory(
    path,
    stage,
    [
      ...enterStaging(stage),
      new ShellText('ln -P -- "../$tend_name" it'),
      sh`{ [ -f it ] && [ ! -L it ]; } || { echo ${`tend: ${path} is no longer a regular file`} >&2; exit 1; }`,
      ...metadataCommands(new ShellText('it'), want),
    ],
    walk,
  );
}

/** A command run in the directory holding `path`, reached by the safe walk; "$tend_name" names the file there. */
export function inParentOf(path: string, command: ShellText, walk: Walk = {}): ShellText {
  return sh`(
${enterParentOf(path, walk)}
${command}
)`;
}

export interface AtomicWrite {
  path: string;
  content: string;
  want: Wanted;
  exists: boolean;
  backup?: boolean;
  validate?: string;
  nonce?: string;
  follow?: boolean;
  createParents?: boolean;
  shownPath?: string;
  newFileMode?: string;
  backupName?: string;
  /** The content is these bytes (base64), not `content`'s text. */
  base64?: string;
}

/** Replaces `path` with exactly `content` (bytes carried as base64: nothing added or lost). */
export function atomicWriteScript(w: AtomicWrite): ShellText {
  const encoded = w.base64 ?? Buffer.from(w.content, 'utf8').toString('base64');
  return stagedReplaceScript({ ...w, produce: new ShellText(`printf '%s' ${quote(encoded)} | base64 -d > new`) });
}
