// A file read whole by a probe, told apart from no file at all (an empty file is not a
// missing one): the snippet prints `present` and the bytes, or `missing`.
import { sh, type ShellText } from '../../src/shell.ts';

export function wholeFileProbe(path: string): ShellText {
  return sh`f=${path}; if [ -f "$f" ]; then echo present; cat -- "$f"; else echo missing; fi`;
}

/** The probe's section back: the file's text, or null when it does not exist. */
export function wholeFileText(section: string): string | null {
  return section.startsWith('present\n') ? section.slice('present\n'.length) : null;
}
