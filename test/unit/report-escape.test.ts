// Every printer of the human reports, given a run in which every string a host or a
// fact can reach holds terminal escapes, prints them as visible text: no ESC, BEL, C1,
// DEL or bidi control reaches the terminal but tend's own colours. The JSON report keeps
// the exact string.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import chalk from 'chalk';
import { mergeReports } from '../../src/commands/report-merge.ts';
import type { HostResult, RunResult, TaskResult } from '../../src/engine/results.ts';
import { formatChange, hostSummary, statusWord, taskLabel } from '../../src/report/format.ts';
import { jsonReport } from '../../src/report/json.ts';
import { liveTitles } from '../../src/report/live.ts';
import { plainReporter } from '../../src/report/plain.ts';
import { printable, printableAll } from '../../src/report/printable.ts';
import { renderChanges, renderRecap, renderStats } from '../../src/report/recap.ts';

// A release name that retitles the window, clears the screen, reverses the text, then
// opens a C1 CSI, deletes, isolates, returns the carriage and ends with a NUL.
const HOSTILE = 'bookworm\x1b]0;pwned\x07\x1b[2J\u202e\x9b1m\x7f\u2066\u2069\r\x00';
const SHOWN = 'bookworm\\e]0;pwned\\x07\\e[2J\\u202e\\x9b1m\\x7f\\u2066\\u2069\\r\\x00';
const h = (s: string) => `${s}-${HOSTILE}`;

// eslint-disable-next-line no-control-regex -- what may not reach a terminal
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex -- chalk's own colour sequences
const SGR = /\x1b\[[0-9;]*m/g;

const stats = { roundTrips: 1, bytesSent: 1, bytesReceived: 1, connectMs: 1, durationMs: 1, remoteCpuMs: 1 };
function task(number: number, status: TaskResult['status'], extra: Partial<TaskResult> = {}): TaskResult {
  return { play: h('play'), number, name: `for ${HOSTILE}`, module: h('module'), handler: false, status, changes: [], durationMs: 1, remoteCpuMs: 1, ...extra };
}
const changes: TaskResult['changes'] = [
  { subject: h('set'), kind: 'set', before: h('old'), after: h('new'), reason: h('why') },
  { subject: h('add'), kind: 'add', after: h('added') },
  { subject: h('remove'), kind: 'remove', before: h('removed') },
  { subject: h('run'), kind: 'run', reason: h('because') },
  { subject: h('/etc/motd'), kind: 'content', before: `line one\n${HOSTILE}\n`, after: `line one\nrelease ${HOSTILE}\n` },
];
const failedHost: HostResult = {
  host: h('web1'),
  status: 'failed',
  stats,
  tasks: [
    task(1, 'changed', { changes, item: h('item') }),
    task(2, 'pending', { after: { number: 1, name: h('first') }, changes }),
    task(3, 'skipped', { reason: h('condition false') }),
    task(4, 'failed', { error: `apt failed:\n${HOSTILE}`, ignored: true }),
    task(5, 'failed', { error: `stderr: ${HOSTILE}` }),
  ],
};
const run: RunResult = {
  mode: 'apply',
  durationMs: 10,
  hosts: [failedHost, { host: h('web2'), status: 'unreachable', error: h('ssh said'), tasks: [], stats }],
  rollout: {
    waves: [{ play: h('play'), hosts: [h('web1')], failed: 1 }],
    stopped: { play: h('play'), wave: 1, waves: 2, failed: 1, size: 1, reason: h('reason') },
    notStarted: [h('web3')],
    notFinished: [h('web4')],
  },
};

/** No control character at all without colours; with colours, nothing but chalk's SGR, and the same text. */
function checkShown(plain: string, coloured: string, what: string): string {
  const bad = [...plain].filter((c) => UNSAFE.test(c) && c !== '\n' && c !== '\t');
  assert.deepEqual(bad, [], `${what}: raw control characters in\n${plain}`);
  assert.equal(coloured.replace(SGR, ''), plain, `${what}: with colour, only tend's colour sequences are added`);
  assert.notEqual(coloured, plain, `${what}: tend's colours stay`);
  assert.ok(plain.includes(SHOWN), `${what}: the hostile text is shown escaped\n${plain}`);
  return plain;
}

function assertShown(print: () => string[], what: string): string {
  chalk.level = 0;
  const plain = print().join('\n');
  chalk.level = 1;
  const coloured = print().join('\n');
  chalk.level = 0;
  return checkShown(plain, coloured, what);
}

afterEach(() => {
  chalk.level = 0;
});

describe('host and fact text on the terminal', () => {
  it('printable escapes C0, C1, DEL and bidi controls and keeps newline and tab; idempotent', () => {
    assert.equal(printable(HOSTILE), SHOWN);
    assert.equal(printable(`a\tb\nc`), 'a\tb\nc');
    assert.equal(printable(printable(HOSTILE)), SHOWN);
    const copy = printableAll(run);
    assert.equal(copy.hosts[0]!.tasks[0]!.name, `for ${SHOWN}`);
    assert.equal(run.hosts[0]!.tasks[0]!.name, `for ${HOSTILE}`, 'the original is untouched');
    assert.equal(Object.keys(printableAll(JSON.parse('{"__proto__":{"x":1}}'))).join(), '__proto__');
  });

  it('a one-line field cannot forge a line: a newline in a name or subject is escaped, error text keeps its lines', () => {
    const forged: RunResult = {
      mode: 'check',
      durationMs: 1,
      hosts: [{ host: 'h1', status: 'changed', stats, tasks: [{ ...task(1, 'would-change'), name: 'x\nh2: ok: [1] fine', error: 'line 1\nline 2', changes: [{ subject: 'a\tb\nh3: ok', kind: 'add' }] }] }],
    };
    const text = renderChanges(forged).join('\n');
    assert.ok(text.includes('x\\nh2: ok: [1] fine'), text);
    assert.ok(text.includes('a\\tb\\nh3: ok'), text);
    assert.doesNotMatch(text, /^h[23]: ok/m);
    assert.match(text, /^ {4}line 1\n {4}line 2$/m);
  });

  it('DIFFERENCES / CHANGES: task labels, items, changes, diffs, errors', () => {
    const text = assertShown(() => renderChanges(run), 'renderChanges');
    assert.ok(text.includes(`[1] for ${SHOWN} (item-${SHOWN})`), 'a task named from a fact');
    assert.ok(text.includes(`+release ${SHOWN}`), 'the diff line');
  });

  it('RECAP: host names, host errors, where the rollout stopped, hosts never started', () => {
    const text = assertShown(() => renderRecap(run), 'renderRecap');
    assert.ok(text.includes(`never started (1): web3-${SHOWN}`));
  });

  it('STATS', () => {
    assertShown(() => renderStats(run), 'renderStats');
  });

  it('the plain reporter (CI, pipes): every task line, change, error and host summary', () => {
    assertShown(() => {
      const lines: string[] = [];
      const events = plainReporter(false, (l) => lines.push(l));
      for (const t of failedHost.tasks) events.taskDone(failedHost.host, t);
      events.hostDone(failedHost);
      events.hostDone(run.hosts[1]!);
      return lines;
    }, 'plainReporter');
  });

  it('the live view (listr2): waiting, connecting, current task, summary', () => {
    assertShown(
      () => [
        liveTitles.waiting(failedHost.host),
        liveTitles.connecting(failedHost.host),
        liveTitles.task(failedHost.host, { number: 1, name: `for ${HOSTILE}`, handler: false }),
        liveTitles.done(failedHost, true),
        liveTitles.done(run.hosts[1]!, true),
      ],
      'liveTitles',
    );
  });

  it('the pieces on their own: formatChange, taskLabel, statusWord, hostSummary', () => {
    assertShown(() => changes.flatMap(formatChange), 'formatChange');
    assertShown(() => [taskLabel(failedHost.tasks[0]!), taskLabel(failedHost.tasks[1]!, HOSTILE), statusWord(failedHost.tasks[2]!, false)], 'labels');
    assertShown(() => [hostSummary(run.hosts[1]!, false)], 'hostSummary');
  });

  it('report merge prints the saved reports escaped; the JSON keeps the exact strings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-escape-'));
    const doc = jsonReport(run, { playbook: 'pb.yml', inventory: 'inv.yml', startedAt: new Date(0) });
    const text = JSON.stringify(doc);
    assert.ok(text.includes(JSON.stringify(`for ${HOSTILE}`)), 'the JSON report holds the exact task name');
    assert.equal(JSON.parse(text).hosts[0].tasks[0].changes[4].after, `line one\nrelease ${HOSTILE}\n`);
    const file = join(dir, 'shard.json');
    writeFileSync(file, text);
    const merged = async (level: 0 | 1, out: string) => {
      chalk.level = level;
      const printed: string[] = [];
      const log = console.log;
      console.log = (...args: unknown[]) => printed.push(args.join(' '));
      try {
        await mergeReports([file], { json: join(dir, out) });
      } finally {
        console.log = log;
        chalk.level = 0;
      }
      return printed.join('\n');
    };
    checkShown(await merged(0, 'plain.json'), await merged(1, 'coloured.json'), 'report merge');
  });
});
