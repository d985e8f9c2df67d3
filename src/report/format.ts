// How one change, one task and one host read for people. Secrets never pass here as
// values: a secret change prints `(secret)`. The printers (recap.ts, plain.ts, live.ts)
// hand these functions results already made printable; the printable calls here keep
// each function safe on its own too (printable is idempotent).
import chalk from 'chalk';
import { createTwoFilesPatch } from 'diff';
import type { HostResult, TaskResult } from '../engine/results.ts';
import type { Change } from '../module.ts';
import { printable } from './printable.ts';

const SECRET = '(secret)';

function shown(v: string | null | undefined, secret?: boolean): string {
  if (secret) return SECRET;
  if (v === null || v === undefined) return '(unset)';
  return v === '' ? '""' : printable(v);
}

export function formatChange(change: Change): string[] {
  // Subjects and reasons may carry what a host printed (file names found inside a directory).
  const c = { ...change, subject: printable(change.subject), reason: change.reason === undefined ? undefined : printable(change.reason) };
  const why = c.reason ? ` (${c.reason})` : '';
  switch (c.kind) {
    case 'set':
      return [`${c.subject}: ${shown(c.before, c.secret)} → ${shown(c.after, c.secret)}${why}`];
    case 'add':
      return [chalk.green(`+ ${c.subject}${c.after && !c.secret ? ` ${printable(c.after)}` : ''}`) + why];
    case 'remove':
      return [chalk.red(`- ${c.subject}${c.before && !c.secret ? ` ${printable(c.before)}` : ''}`) + why];
    case 'run':
      return [`${c.subject}: ${c.reason ?? 'run'}`];
    case 'content': {
      if (c.secret) return [`${c.subject}: content differs ${SECRET}${why}`];
      const patch = createTwoFilesPatch(c.subject, c.subject, c.before ?? '', c.after ?? '', 'current', 'wanted', { context: 3 });
      const body = patch.split('\n').slice(2).filter((l) => l !== '');
      return [`${c.subject}:${why}`, ...body.map((line) => colourDiffLine(printable(line)))];
    }
  }
}

function colourDiffLine(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return chalk.bold(line);
  if (line.startsWith('+')) return chalk.green(line);
  if (line.startsWith('-')) return chalk.red(line);
  if (line.startsWith('@@')) return chalk.cyan(line);
  return line;
}

export function statusWord(t: TaskResult, check: boolean): string {
  switch (t.status) {
    case 'ok':
      return chalk.green('ok');
    case 'changed':
      return chalk.yellow('changed');
    case 'would-change':
      return chalk.yellow('would change');
    case 'pending':
      return chalk.yellow(`would change after task ${t.after?.number ?? '?'}`);
    case 'failed':
      if (t.ignored) return chalk.yellow('failed (ignored)');
      return chalk.red(check ? 'failed' : 'FAILED');
    case 'skipped':
      return chalk.dim(t.reason ? `skipped (${printable(t.reason)})` : 'skipped');
  }
}

/** `[5] create users (user)`; a loop's instance shows its item instead: `[5] create users (alice)`. */
export function taskLabel(t: { number: number; name: string; handler: boolean; item?: string }, module?: string): string {
  const kind = t.handler ? 'handler ' : '';
  const after = t.item !== undefined ? ` (${printable(t.item)})` : module && module !== t.name ? ` (${printable(module)})` : '';
  return `[${t.number}] ${kind}${printable(t.name)}${after}`;
}

export function hostSummary(h: HostResult, check: boolean): string {
  const n = (s: string) => h.tasks.filter((t) => t.status === s).length;
  const done = n('changed') > 0 ? ` (after changed=${n('changed')})` : '';
  if (h.status === 'unreachable') return chalk.red(`unreachable: ${printable(h.error ?? '')}${done}`);
  if (h.status === 'interrupted') return chalk.yellow(`interrupted${done}`);
  const ignored = h.tasks.filter((t) => t.status === 'failed' && t.ignored).length;
  const failed = n('failed') - ignored;
  const parts = [`ok=${n('ok')}`, `${check ? 'would-change' : 'changed'}=${n('changed') + n('would-change')}`];
  if (n('skipped') > 0) parts.push(`skipped=${n('skipped')}`);
  if (n('pending') > 0) parts.push(`after-earlier=${n('pending')}`);
  parts.push(`failed=${failed + (h.status === 'failed' && failed === 0 ? 1 : 0)}`);
  if (ignored > 0) parts.push(`ignored=${ignored}`);
  return parts.join(' ');
}
