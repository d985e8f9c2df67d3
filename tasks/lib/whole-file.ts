// A file read whole by a probe, told apart from no file at all (an empty file is not a
// missing one): the snippet prints `present` and the bytes, or `missing` (also when a
// directory on the way is missing), or `unsafe REASON` when the safe walk to it refused
// a step (safe-path.ts).
import { sh, type ShellText } from '../../src/shell.ts';
import { probeInParentOf, refuseUnsafe } from './safe-path.ts';

export function wholeFileProbe(path: string): ShellText {
  return probeInParentOf(path, sh`if [ -f "$tend_name" ]; then echo present; cat -- "$tend_name"; else echo missing; fi`, sh`echo missing`);
}

/** The probe's section back: the file's text, or null when it does not exist. An unsafe path fails the task. */
export function wholeFileText(section: string): string | null {
  refuseUnsafe(section);
  return section.startsWith('present\n') ? section.slice('present\n'.length) : null;
}
