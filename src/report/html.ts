// The drift report as one self-contained HTML file (--html FILE, tend report html): a
// hosts × tasks matrix, hosts with identical results folded into one row, a cell's diff
// a click away. It is made from the JSON report, so what the JSON leaves out (secret
// values) the page cannot show. Everything it needs is inlined: it opens from disk, with
// no network and no server.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createTwoFilesPatch } from 'diff';
import type { jsonReport } from './json.ts';
import { PAGE_SCRIPT } from './html-page.ts';
import { PAGE_STYLE } from './html-style.ts';

export type ReportDocument = ReturnType<typeof jsonReport>;
type ReportHost = ReportDocument['hosts'][number];
type ReportTask = ReportHost['tasks'][number];
type ReportChange = ReportTask['changes'][number];

/** What the page's script reads: tables of distinct things, referred to by index. */
export interface PageData {
  meta: {
    mode: 'apply' | 'check';
    playbook: string;
    inventory: string;
    limit?: string;
    shard?: string;
    merged?: string[];
    startedAt: string;
    durationMs: number;
    interrupted: boolean;
    exitCode: number;
    /** Where a rollout (serial:) stopped, and the hosts it never started. */
    rollout?: { stopped?: NonNullable<ReportDocument['rollout']>['stopped']; notStarted: string[]; notFinished: string[] };
  };
  totals: ReportDocument['totals'];
  /** The matrix's columns: every task any host ran, in play order. */
  tasks: { play: string; number: number; name: string; module: string; handler: boolean; item?: string }[];
  hosts: { name: string; status: ReportHost['status']; error?: string; stats: ReportHost['stats']; durations: (number | null)[] }[];
  /** Hosts whose results are identical, as one row; `cells[j]` indexes `cells` (null: the task did not run). */
  rows: { hosts: number[]; cells: (number | null)[] }[];
  cells: PageCell[];
  /** Unified diffs of content changes, each once however many cells show it. */
  patches: string[];
}

export interface PageCell {
  status: ReportTask['status'];
  afterTask?: { number: number; name: string };
  error?: string;
  /** Why it was skipped (a false condition). */
  reason?: string;
  /** Failed, and ignored (ignore_errors). */
  ignored?: true;
  changes: (Omit<ReportChange, 'before' | 'after'> & { before?: string | null; after?: string | null; patch?: number })[];
}

/** Resolves the installed diff2html's bundle files. */
const require = createRequire(import.meta.url);

/** The page for one report. `exitCode` is the run's (it depends on flags the report does not keep). */
export function htmlReport(doc: ReportDocument, exitCode: number): string {
  const data = pageData(doc, exitCode);
  const title = `tend ${doc.mode}: ${doc.playbook}`;
  // One style and one script, each allowed by its hash: the policy has no 'unsafe-inline',
  // so nothing else inline (an injected element, a style attribute) runs or applies.
  const style = inlineText(`${readFileSync(require.resolve('diff2html/bundles/css/diff2html.min.css'), 'utf8')}\n${PAGE_STYLE}`, 'style');
  const script = inlineText(`${readFileSync(require.resolve('diff2html/bundles/js/diff2html.min.js'), 'utf8')}\n${PAGE_SCRIPT}`, 'script');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Nothing may load from anywhere: the page is a file, and stays one.
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(style, script)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<noscript>This report needs JavaScript to draw its table; the same data is in the JSON report.</noscript>',
    // A data block, never executed: the policy's script-src does not apply to it.
    `<script type="application/json" id="tend-data">${inlineJson(data)}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function pageData(doc: ReportDocument, exitCode: number): PageData {
  const columns = taskColumns(doc.hosts);
  const cells: PageCell[] = [];
  const cellIndex = new Map<string, number>();
  const patches: string[] = [];
  const patchIndex = new Map<string, number>();
  const patchOf = (c: ReportChange): number | undefined => {
    if (c.kind !== 'content' || 'secret' in c) return undefined;
    const before = (c as { before?: string | null }).before ?? '';
    const after = (c as { after?: string | null }).after ?? '';
    const text = createTwoFilesPatch(c.subject, c.subject, before, after, 'current', 'wanted', { context: 3 });
    let i = patchIndex.get(text);
    if (i === undefined) {
      i = patches.push(text) - 1;
      patchIndex.set(text, i);
    }
    return i;
  };
  const cellOf = (t: ReportTask): number => {
    const cell: PageCell = {
      status: t.status,
      ...('afterTask' in t && t.afterTask ? { afterTask: t.afterTask } : {}),
      ...(t.error !== undefined ? { error: t.error } : {}),
      ...('reason' in t && t.reason !== undefined ? { reason: t.reason } : {}),
      ...('ignored' in t && t.ignored ? { ignored: true as const } : {}),
      changes: t.changes.map((c) => {
        const patch = patchOf(c);
        if (patch === undefined) return c;
        // The patch carries the content; the whole before and after would only add weight.
        const { subject, kind, reason } = c as { subject: string; kind: ReportChange['kind']; reason?: string };
        return { subject, kind, ...(reason !== undefined ? { reason } : {}), patch };
      }),
    };
    const key = JSON.stringify(cell);
    let i = cellIndex.get(key);
    if (i === undefined) {
      i = cells.push(cell) - 1;
      cellIndex.set(key, i);
    }
    return i;
  };

  const hosts: PageData['hosts'] = [];
  const rows = new Map<string, PageData['rows'][number]>();
  for (const h of doc.hosts) {
    const byColumn = new Map(h.tasks.map((t) => [columnKey(t), t]));
    const hostCells = columns.map((col) => {
      const t = byColumn.get(columnKey(col));
      return t === undefined ? null : cellOf(t);
    });
    const index = hosts.push({
      name: h.name,
      status: h.status,
      ...(h.error !== undefined ? { error: h.error } : {}),
      stats: h.stats,
      durations: columns.map((col) => byColumn.get(columnKey(col))?.durationMs ?? null),
    }) - 1;
    // Hosts fold into one row when everything the row shows is the same.
    const key = JSON.stringify([h.status, h.error ?? null, hostCells]);
    const row = rows.get(key);
    if (row) row.hosts.push(index);
    else rows.set(key, { hosts: [index], cells: hostCells });
  }
  const order: Record<ReportHost['status'], number> = { failed: 0, unreachable: 1, changed: 2, interrupted: 3, ok: 4 };
  const sortedRows = [...rows.values()].sort(
    (a, b) => order[hosts[a.hosts[0]!]!.status] - order[hosts[b.hosts[0]!]!.status] || b.hosts.length - a.hosts.length,
  );
  return {
    meta: {
      mode: doc.mode,
      playbook: doc.playbook,
      inventory: doc.inventory,
      ...(doc.limit !== undefined ? { limit: doc.limit } : {}),
      ...(doc.shard !== undefined ? { shard: doc.shard } : {}),
      ...('merged' in doc && Array.isArray(doc.merged) ? { merged: doc.merged as string[] } : {}),
      startedAt: doc.startedAt,
      durationMs: doc.durationMs,
      interrupted: doc.interrupted === true,
      exitCode,
      ...(doc.rollout ? { rollout: { ...(doc.rollout.stopped ? { stopped: doc.rollout.stopped } : {}), notStarted: doc.rollout.notStarted, notFinished: doc.rollout.notFinished } } : {}),
    },
    totals: doc.totals,
    tasks: columns.map(({ play, number, name, module, handler, ...rest }) => ({ play, number, name, module, handler, ...('item' in rest && rest.item !== undefined ? { item: rest.item } : {}) })),
    hosts,
    rows: sortedRows,
    cells,
    patches,
  };
}

function columnKey(t: { play: string; number: number; handler: boolean; item?: string }): string {
  return JSON.stringify([t.play, t.handler, t.number, t.item ?? null]);
}

/** Every task any host ran, plays in the order hosts met them, tasks by number within a play. */
function taskColumns(hosts: readonly ReportHost[]): ReportTask[] {
  const plays: string[] = [];
  const seen = new Map<string, ReportTask>();
  for (const h of hosts) {
    for (const t of h.tasks) {
      if (!plays.includes(t.play)) plays.push(t.play);
      if (!seen.has(columnKey(t))) seen.set(columnKey(t), t);
    }
  }
  return [...seen.values()].sort((a, b) => plays.indexOf(a.play) - plays.indexOf(b.play) || a.number - b.number);
}

/** The page's policy: its one style and one script by SHA-256, nothing else from anywhere. */
export function contentSecurityPolicy(style: string, script: string): string {
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  return `default-src 'none'; style-src ${hash(style)}; script-src ${hash(script)}; img-src data:; base-uri 'none'; form-action 'none'`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON inside a <script> element: `<` written as \u003c, so no value (a diff of an HTML
 * file, a host's error text) can close the element or open a comment.
 */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * A library's code or style inlined: it must not contain the tag that would end its
 * element, nor a carriage return or NUL (the HTML parser rewrites those, and the text
 * would no longer match the hash the policy allows).
 */
function inlineText(text: string, element: 'script' | 'style'): string {
  if (new RegExp(`</${element}`, 'i').test(text)) throw new Error(`cannot inline text containing </${element}>`);
  if (/[\r\0]/.test(text)) throw new Error(`cannot inline a ${element} containing a carriage return or NUL: its hash would not match`);
  return text;
}
