// The HTML report's data, without a browser: rows fold hosts with identical results,
// diffs are stored once, secrets never reach the page, and nothing in a value can end
// the <script> element that carries it. (test/e2e/html-report.test.ts runs the page.)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Script } from 'node:vm';
import { describe, it } from 'node:test';
import type { RunResult } from '../../src/engine/results.ts';
import { htmlReport, inlineJson, pageData } from '../../src/report/html.ts';
import { PAGE_SCRIPT } from '../../src/report/html-page.ts';
import { jsonReport } from '../../src/report/json.ts';

const stats = { roundTrips: 1, bytesSent: 10, bytesReceived: 20, connectMs: 5, durationMs: 30 };
const file = { play: 'base', name: 'motd', module: 'file', handler: false };
const motdChange = { subject: '/etc/motd', kind: 'content' as const, before: 'old\n', after: 'new\n' };
const secretChange = { subject: '/etc/token', kind: 'content' as const, secret: true, before: 'TOKEN-OLD-value', after: 'TOKEN-NEW-value' };

function drifted(host: string, durationMs: number, after = 'new\n'): RunResult['hosts'][number] {
  return {
    host,
    status: 'changed',
    stats,
    tasks: [
      { ...file, number: 1, status: 'would-change', changes: [{ ...motdChange, after }], durationMs },
      { ...file, number: 2, name: 'token', status: 'would-change', changes: [secretChange], durationMs },
    ],
  };
}

const run: RunResult = {
  mode: 'check',
  durationMs: 100,
  hosts: [
    drifted('web-2', 4),
    drifted('web-1', 9),
    drifted('db-1', 1, '</script><script>alert(1)</script>\n'),
    { host: 'gone', status: 'unreachable', error: 'gone: connection refused', tasks: [], stats },
    { host: 'web-3', status: 'ok', stats, tasks: [{ ...file, number: 1, status: 'ok', changes: [], durationMs: 2 }, { ...file, number: 2, name: 'token', status: 'ok', changes: [], durationMs: 2 }] },
  ],
};
const doc = jsonReport(run, { playbook: 'base.yml', inventory: 'hosts.ini', startedAt: new Date(0), exitCode: 6 });

describe('HTML report data', () => {
  const data = pageData(doc, 6);

  it('folds hosts whose results are identical into one row, timings kept per host', () => {
    const rows = data.rows.map((r) => r.hosts.map((i) => data.hosts[i]!.name));
    assert.deepEqual(rows, [['gone'], ['web-1', 'web-2'], ['db-1'], ['web-3']], 'unreachable first, in-sync last, the larger fold first');
    const web1 = data.hosts.find((h) => h.name === 'web-1')!;
    assert.deepEqual(web1.durations, [9, 9]);
    assert.deepEqual(data.rows[0]!.cells, [null, null], 'an unreachable host ran no task');
  });

  it('stores each distinct diff once, as a unified diff, without the whole before and after', () => {
    assert.equal(data.patches.length, 2, 'web-1 and web-2 share one; db-1 has its own');
    const cell = data.cells[data.rows[1]!.cells[0]!]!;
    const patch = (cell.changes[0] as { patch: number }).patch;
    assert.deepEqual(cell.changes, [{ subject: '/etc/motd', kind: 'content', patch }]);
    assert.match(data.patches[patch]!, /^-old$/m);
    assert.match(data.patches[patch]!, /^\+new$/m);
  });

  it('never carries a secret value', () => {
    const page = htmlReport(doc, 6);
    assert.ok(!page.includes('TOKEN-OLD-value') && !page.includes('TOKEN-NEW-value'));
    const token = data.cells[data.rows[1]!.cells[1]!]!;
    assert.deepEqual(token.changes, [{ subject: '/etc/token', kind: 'content', secret: true }]);
  });

  it('a value cannot close the data element: < is written as \\u003c', () => {
    const page = htmlReport(doc, 6);
    const scripts = page.match(/<script\b/g)!.length;
    assert.equal(scripts, 2, 'the data, and one script (diff2html and the page)');
    assert.ok(page.includes('\\u003c/script>\\u003cscript>alert(1)'));
    assert.equal(JSON.parse(inlineJson({ v: '</script><!--' })).v, '</script><!--');
  });

  it('is one file: no external reference, a policy that forbids loading any', () => {
    const page = htmlReport(doc, 6);
    assert.doesNotMatch(page, /<(script|link|img)[^>]+(src|href)=/i);
    assert.match(page, /Content-Security-Policy" content="default-src 'none'/);
    assert.match(page, /<title>tend check: base\.yml<\/title>/);
  });

  it('its policy allows its one style and one script by hash, and nothing inline else', () => {
    const page = htmlReport(doc, 6);
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)![1]!;
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|unsafe-hashes|\*/);
    const styles = [...page.matchAll(/<style>(.*?)<\/style>/gs)].map((m) => m[1]!);
    const scripts = [...page.matchAll(/<script>(.*?)<\/script>/gs)].map((m) => m[1]!);
    assert.equal(styles.length, 1);
    assert.equal(scripts.length, 1, 'one executable script; the data block is type application/json');
    const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    assert.equal(/style-src ([^;]*)/.exec(policy)![1], sha(styles[0]!));
    assert.equal(/script-src ([^;]*)/.exec(policy)![1], sha(scripts[0]!));
    assert.match(policy, /^default-src 'none';/);
    // The page script sets no style attribute (the policy would refuse it); sizes go through the CSSOM.
    assert.doesNotMatch(PAGE_SCRIPT, /\bstyle: |setAttribute\('style'/);
  });

  it('an ignored failure is its own kind of cell, apart from failures', () => {
    const ignoredRun: RunResult = {
      mode: 'apply',
      durationMs: 1,
      hosts: [{ host: 'h', status: 'changed', stats, tasks: [{ ...file, number: 1, status: 'failed', ignored: true, error: 'boom', changes: [], durationMs: 1 }] }],
    };
    const page = pageData(jsonReport(ignoredRun, { playbook: 'p', inventory: 'i', startedAt: new Date(0) }), 0);
    assert.equal(page.cells[0]!.ignored, true);
    assert.equal(page.totals.tasks.failed, 0);
    assert.match(PAGE_SCRIPT, /cell\.ignored \? 'ignored'/);
  });

  it('the page script is valid JavaScript', () => {
    assert.doesNotThrow(() => new Script(PAGE_SCRIPT));
  });
});
