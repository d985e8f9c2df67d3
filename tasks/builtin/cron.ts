// cron: a named job in a file under /etc/cron.d (the entry follows a `#tend: NAME` line,
// as Ansible's cron module marks its own), present or absent; the file is written whole
// and atomically, 0644 root (cron ignores files others may write).
import { z } from 'zod';
import { defineTask, type Change } from '../../src/module.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import { atomicWriteScript, inParentOf } from '../lib/atomic.ts';
import { wholeFileProbe, wholeFileText } from '../lib/whole-file.ts';

const field = (what: string) => z.union([z.string().regex(/^[0-9A-Za-z*/,-]+$/, `${what}: cron syntax such as 5, */10, 1-5 or mon-fri`), z.number().int().min(0)]).transform(String);

const params = z
  .object({
    name: z.string().regex(/^[^\n\r]+$/, 'one line').describe('names the entry (the #tend: line above it)'),
    job: z.string().regex(/^[^\n\r]+$/, 'one line').optional().describe('the command line'),
    state: z.enum(['present', 'absent']).default('present'),
    minute: field('minute').default('*'),
    hour: field('hour').default('*'),
    day: field('day').default('*'),
    month: field('month').default('*'),
    weekday: field('weekday').default('*'),
    special_time: z.enum(['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'hourly']).optional().describe('@reboot, @daily, … instead of the five fields'),
    user: z.string().regex(/^[a-z_][a-z0-9_.-]*\$?$/, 'a user name').default('root'),
    file: z.string().regex(/^[A-Za-z0-9_-]+$/, 'a file name under /etc/cron.d: letters, digits, _ and - only (cron skips names with dots)').default('tend'),
  })
  .strict()
  .refine((p) => p.state === 'absent' || p.job !== undefined, 'a present entry needs job:');

type Params = z.output<typeof params>;
const DIR = '/etc/cron.d';
const MARK = '#tend: ';

function entryLine(p: Params): string {
  const when = p.special_time ? `@${p.special_time}` : `${p.minute} ${p.hour} ${p.day} ${p.month} ${p.weekday}`;
  return `${when} ${p.user} ${p.job}`;
}

/** The file with entry `name` set to `line` (or removed when line is undefined). */
export function withEntry(current: string, name: string, line: string | undefined): string {
  const lines = current === '' ? [] : current.replace(/\n$/, '').split('\n');
  const at = lines.indexOf(`${MARK}${name}`);
  if (at >= 0) lines.splice(at, at + 1 < lines.length ? 2 : 1, ...(line === undefined ? [] : [`${MARK}${name}`, line]));
  else if (line !== undefined) lines.push(`${MARK}${name}`, line);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export default defineTask({
  name: 'cron',
  summary: 'a named job in a file under /etc/cron.d is present (with its schedule) or absent',
  params,
  example: `cron:\n  name: queue report\n  job: /usr/sbin/postqueue -p | mail -s queue root\n  hour: 6\n  minute: 0`,
  probe: (p) => wholeFileProbe(`${DIR}/${p.file}`),
  plan: (p, probed) => {
    const found = wholeFileText(probed.stdout);
    const exists = found !== null;
    const current = found ?? '';
    const wanted = withEntry(current, p.name, p.state === 'present' ? entryLine(p) : undefined);
    if (wanted === current) return { changes: [], commands: [] };
    const lines = current.split('\n');
    const at = lines.indexOf(`${MARK}${p.name}`);
    const before = at >= 0 ? (lines[at + 1] ?? null) : null;
    const changes: Change[] = [{ subject: `${DIR}/${p.file}: ${p.name}`, kind: p.state === 'absent' ? 'remove' : before === null ? 'add' : 'set', before, after: p.state === 'present' ? entryLine(p) : null }];
    const path = `${DIR}/${p.file}`;
    // A file left without entries is removed rather than kept empty.
    const commands: ShellText[] = [wanted === '' ? inParentOf(path, sh`rm -f -- "$tend_name"`, { missingOk: true }) : atomicWriteScript({ path, content: wanted, want: { owner: 'root', group: 'root', mode: '0644' }, exists })];
    return { changes, commands };
  },
});
