// A saved report is input like any other: `tend report html` and `tend report merge`
// check it against schema/report.schema.json before they use it, and a report that does
// not match is refused with exit 8, the file and the JSON path of the first problem.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { reportToHtml } from '../../src/commands/report-html.ts';
import { mergeReports } from '../../src/commands/report-merge.ts';
import type { RunResult } from '../../src/engine/results.ts';
import { InputError } from '../../src/errors.ts';
import { jsonReport } from '../../src/report/json.ts';
import { readReport } from '../../src/report/read.ts';

const dir = mkdtempSync(join(tmpdir(), 'tend-report-read-'));
const stats = { roundTrips: 1, bytesSent: 10, bytesReceived: 20, connectMs: 5, durationMs: 30 };
const task = { play: 'p', module: 'file', handler: false, durationMs: 3 };
const run: RunResult = {
  mode: 'check',
  durationMs: 100,
  hosts: [
    {
      host: 'h1',
      status: 'changed',
      stats,
      tasks: [
        { ...task, number: 1, name: 'a', status: 'ok', changes: [] },
        { ...task, number: 2, name: 'b', status: 'skipped', reason: 'condition false: x', changes: [] },
        { ...task, number: 3, name: 'c', status: 'failed', ignored: true, error: 'boom', changes: [] },
        { ...task, number: 4, name: 'd', status: 'would-change', changes: [{ subject: '/etc/motd', kind: 'content', before: 'a\n', after: 'b\n' }] },
        { ...task, number: 5, name: 'e', status: 'pending', after: { number: 4, name: 'd' }, item: 'x', changes: [{ subject: 'pw', kind: 'set', secret: true, before: 'S1', after: 'S2' }] },
      ],
    },
    { host: 'h2', status: 'unreachable', error: 'h2: connection refused', tasks: [], stats },
  ],
};
const good = () => JSON.parse(JSON.stringify(jsonReport(run, { playbook: 'pb.yml', inventory: 'inv.yml', startedAt: new Date(0), exitCode: 6, shard: '1/2' })));

function saved(name: string, doc: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
}

async function refusal(doc: unknown): Promise<string> {
  const file = saved('report.json', doc);
  const e = await readReport(file).then(
    () => assert.fail('accepted'),
    (err: unknown) => err,
  );
  assert.ok(e instanceof InputError, String(e));
  return e.message.replace(`${file}: `, 'report.json: ');
}

describe('a saved report, read back', () => {
  it('what --json writes is read back as it is', async () => {
    const doc = good();
    assert.deepEqual(await readReport(saved('good.json', doc)), doc);
  });

  it('startedAt that is not a date: the JSON path and what it must be', async () => {
    assert.equal(await refusal({ ...good(), startedAt: 'yesterday' }), 'report.json: /startedAt: must be a date-time (like 2024-05-01T12:00:00.000Z)');
    assert.match(await refusal({ ...good(), startedAt: '2024-13-45T99:00:00Z' }), /\/startedAt: must be a date-time/);
  });

  it('a task status of __proto__ (or any unknown one)', async () => {
    const doc = good();
    doc.hosts[0].tasks[3].status = '__proto__';
    assert.equal(await refusal(doc), 'report.json: /hosts/0/tasks/3/status: must be one of ok, changed, would-change, failed, skipped');
    const host = good();
    host.hosts[1].status = 'constructor';
    assert.equal(await refusal(host), 'report.json: /hosts/1/status: must be one of ok, changed, failed, unreachable, interrupted');
  });

  it('wrong types, missing and unknown properties, a __proto__ key', async () => {
    assert.equal(await refusal({ ...good(), durationMs: 'fast' }), 'report.json: /durationMs: must be integer');
    assert.equal(await refusal({ ...good(), hosts: {} }), 'report.json: /hosts: must be array');
    const missing = good();
    delete missing.hosts[0].stats;
    assert.equal(await refusal(missing), 'report.json: /hosts/0: missing property stats');
    const proto = JSON.stringify(good()).replace('"play":"p"', '"__proto__":{"polluted":true},"play":"p"');
    assert.equal(await refusal(proto), 'report.json: /hosts/0/tasks/0: unknown property __proto__');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const secretWithValue = good();
    secretWithValue.hosts[0].tasks[4].changes[0].after = 'S2';
    assert.match(await refusal(secretWithValue), /^report\.json: \/hosts\/0\/tasks\/4\/changes\/0: /);
  });

  it('not JSON, or not an object at all', async () => {
    assert.match(await refusal('{"mode":'), /^report\.json: not a tend JSON report \(/);
    assert.equal(await refusal('[]'), 'report.json: /: must be object');
    assert.equal(await refusal('null'), 'report.json: /: must be object');
  });
});

describe('tend report html / merge on a report that is not one', () => {
  // cli.ts prints an InputError as its sentence, without a stack, and exits 8.
  it('are refused as input errors naming the file and the JSON path; nothing is written', async () => {
    const bad = good();
    bad.hosts[0].tasks[3].status = '__proto__';
    const badFile = saved('bad-status.json', bad);
    const page = join(dir, 'bad.html');
    await assert.rejects(reportToHtml(badFile, page), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, `${badFile}: /hosts/0/tasks/3/status: must be one of ok, changed, would-change, failed, skipped`);
      return true;
    });
    assert.equal(existsSync(page), false);
    const dateFile = saved('bad-date.json', { ...good(), startedAt: 'not a date' });
    const merged = join(dir, 'merged.json');
    await assert.rejects(mergeReports([saved('ok.json', good()), dateFile], { json: merged }), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /bad-date\.json: \/startedAt: must be a date-time/);
      return true;
    });
    assert.equal(existsSync(merged), false);
  });
});
