// Replacing a file so that nothing is ever lost, half-written, exposed or redirected.
//
// The new file is made inside a private staging directory, created exclusively (mkdir
// fails if the name exists) with a random name beside the target, mode 0700, owned by
// us. The script enters it once (`cd -P`) and then works by relative name only: a user
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
}

export function dirOf(path: string): string {
  return path.replace(/\/[^/]*$/, '') || '/';
}

export function stagedReplaceScript(w: StagedReplace): ShellText {
  const stage = `${dirOf(w.path)}/.tend.${w.nonce ?? randomBytes(12).toString('hex')}`;
  const staged = `${stage}/new`;
  const metadata = w.exists
    ? [
        // Owner and mode of the old file, then what the task wants on top.
        ...(w.want.owner === undefined || w.want.group === undefined ? [sh`chown -h --reference=${w.path} new`] : []),
        ...(w.want.mode === undefined ? [sh`chmod --reference=${w.path} new`] : []),
        ...metadataCommands(STAGED, w.want),
      ]
    : [...metadataCommands(STAGED, w.want), ...(w.want.mode === undefined ? [sh`chmod 0644 new`] : [])];
  const steps: ShellText[] = [
    sh`mkdir -m 0700 -- ${stage}`,
    sh`cd -P -- ${stage}`,
    // The directory we are in is the one we made: ours, private, empty.
    new ShellText(`{ [ "$(stat -c '%u %a' .)" = "$(id -u) 700" ] && [ -z "$(ls -A)" ]; } || { echo 'tend: the staging directory was tampered with' >&2; exit 1; }`),
    sh`umask 077`,
    sh`: > new`,
    ...metadata,
    w.produce,
  ];
  if (w.validate !== undefined) {
    // %s becomes the staged file's path as a literal, so it means the same inside
    // quotes as outside them.
    const command = w.validate.replaceAll('%s', /^[A-Za-z0-9_@%+=:,./-]+$/.test(staged) ? staged : quote(staged));
    steps.push(new ShellText(`( ${command} ) || { echo ${quote(`validate failed: ${w.validate}`)} >&2; exit 1; }`));
  }
  // The backup is named for when it was made: `main.cf.20261127-014502~`.
  if (w.backup && w.exists) steps.push(new ShellText(`ln -- ${quote(w.path)} ${quote(w.path)}."$(date +%Y%m%d-%H%M%S)~"`));
  steps.push(sh`mv -fT -- new ${w.path}`);
  // A subshell: the `cd` and the traps stay inside it. The EXIT trap removes the staging
  // directory however the subshell ends; signals end it through the EXIT trap.
  return new ShellText(
    [
      '(',
      `trap ${quote(`cd / && rm -rf -- ${quote(stage)}`)} EXIT`,
      "trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM",
      steps.map((s) => s.text).join(' &&\n'),
      ')',
    ].join('\n'),
  );
}

export interface AtomicWrite {
  path: string;
  content: string;
  want: Wanted;
  exists: boolean;
  backup?: boolean;
  validate?: string;
  nonce?: string;
}

/** Replaces `path` with exactly `content` (bytes carried as base64: nothing added or lost). */
export function atomicWriteScript(w: AtomicWrite): ShellText {
  const encoded = Buffer.from(w.content, 'utf8').toString('base64');
  return stagedReplaceScript({ ...w, produce: new ShellText(`printf '%s' ${quote(encoded)} | base64 -d > new`) });
}
