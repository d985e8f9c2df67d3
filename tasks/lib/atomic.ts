// Writing a file so that a failure never leaves a half-written one: the new content goes
// to a temporary file in the same directory (mode 0600 from its first byte), gets its
// owner and mode, passes `validate`, and only then is renamed over the old file.
import { quote, sh, ShellText } from '../../src/shell.ts';
import { metadataCommands, type Wanted } from './metadata.ts';

export interface AtomicWrite {
  path: string;
  content: string;
  want: Wanted;
  /** Whether a file is there now (its owner and mode are kept unless `want` says). */
  exists: boolean;
  backup?: boolean;
  /** A command run on the new content first; `%s` is the temporary file's path. */
  validate?: string;
}

export function atomicWriteScript(w: AtomicWrite): ShellText {
  const dir = w.path.replace(/\/[^/]*$/, '') || '/';
  const encoded = Buffer.from(w.content, 'utf8').toString('base64');
  const parts: ShellText[] = [
    sh`__tmp=$(mktemp ${`${dir}/.tend.XXXXXXXX`}) || exit 1`,
    sh`trap 'rm -f "$__tmp"' EXIT`,
    // base64 keeps the bytes exact: no trailing newline added or lost.
    new ShellText(`printf '%s' ${quote(encoded)} | base64 -d > "$__tmp"`),
  ];
  if (w.exists) parts.push(sh`chown --reference=${w.path} "$__tmp" && chmod --reference=${w.path} "$__tmp"`);
  else parts.push(sh`chmod 0644 "$__tmp"`);
  parts.push(...metadataCommands(new ShellText('"$__tmp"'), w.want));
  if (w.validate) {
    const command = w.validate.replaceAll('%s', '"$__tmp"');
    parts.push(new ShellText(`( ${command} ) || { echo ${quote(`validate failed: ${w.validate}`)} >&2; exit 1; }`));
  }
  // The backup is named for when it was made: `main.cf.20261127-014502~`.
  if (w.backup && w.exists) parts.push(new ShellText(`cp -p ${quote(w.path)} ${quote(w.path)}."$(date +%Y%m%d-%H%M%S)~"`));
  parts.push(sh`mv -f "$__tmp" ${w.path}`);
  return new ShellText(parts.map((p) => p.text).join(' &&\n'));
}
