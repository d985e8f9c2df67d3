// Probes that read several things print sections separated by a marker line; this
// splits them back.
import { sh, type ShellText } from '../../src/shell.ts';

export const SECTION = '--tend-section--';
export const sectionBreak: ShellText = sh`echo ${SECTION}`;

export function sections(stdout: string): string[] {
  return stdout.split(`${SECTION}\n`);
}
