import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { commandFromArgs, isDestructive, renderAdhoc } from '../../src/adhoc.ts';
import { exitCode, type RunResult } from '../../src/engine/results.ts';
import { jsonReport } from '../../src/report/json.ts';
import { formatChange } from '../../src/report/format.ts';
import { printable } from '../../src/report/printable.ts';
import { renderChanges, renderRecap } from '../../src/report/recap.ts';
import { playbookJsonSchema } from '../../src/schema.ts';
import { modules } from '../../tasks/index.ts';

const stats = { roundTrips: 1, bytesSent: 10, bytesReceived: 20, connectMs: 5, durationMs: 30 };
const task = { play: 'p', name: 'main.cf', module: 'postconf', handler: false, durationMs: 3 };
const run: RunResult = {
  mode: 'check',
  durationMs: 100,
  hosts: [
    { host: 'h1', status: 'ok', tasks: [{ ...task, number: 1, status: 'ok', changes: [] }], stats },
    {
      host: 'h2',
      status: 'changed',
      tasks: [{ ...task, number: 1, status: 'would-change', changes: [{ subject: 'smtpd_use_tls', kind: 'set', before: 'no', after: 'yes' }] }],
      stats,
    },
    {
      host: 'h5',
      status: 'changed',
      tasks: [
        { ...task, number: 1, status: 'would-change', changes: [{ subject: 'smtpd_use_tls', kind: 'set', before: 'no', after: 'yes' }] },
        { ...task, number: 2, name: 'user', module: 'user', status: 'would-change', changes: [{ subject: 'bob password', kind: 'set', secret: true, before: 'HASH-OLD', after: 'HASH-NEW' }] },
        { ...task, number: 3, name: 'svc', module: 'service', status: 'pending', after: { number: 1, name: 'main.cf' }, changes: [] },
      ],
      stats,
    },
    { host: 'h9', status: 'unreachable', tasks: [], error: 'h9: connection refused', stats },
  ],
};

function validator(file: string) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
}

describe('JSON report', () => {
  const report = jsonReport(run, { playbook: 'pb.yml', inventory: 'inv.yml', startedAt: new Date(0) });
  it('validates against schema/report.schema.json', () => {
    const validate = validator('schema/report.schema.json');
    assert.ok(validate(report), JSON.stringify(validate.errors));
  });
  it('carries the facts: totals, drifted hosts, would-change after a task', () => {
    assert.deepEqual(report.drifted, ['h2', 'h5']);
    assert.deepEqual(report.totals, {
      hosts: 4, inSync: 1, changed: 2, failed: 0, unreachable: 1, interrupted: 0,
      tasks: { ok: 1, changed: 0, wouldChange: 3, wouldChangeAfterEarlier: 1, failed: 0, skipped: 0 },
    });
    const h5 = report.hosts.find((h) => h.name === 'h5')!;
    assert.deepEqual(h5.tasks[2]!.afterTask, { number: 1, name: 'main.cf' });
    assert.equal(h5.tasks[2]!.status, 'would-change');
  });
  it('never holds a secret value, even one a module put in before/after by mistake', () => {
    const text = JSON.stringify(report);
    assert.ok(!text.includes('HASH-OLD') && !text.includes('HASH-NEW'));
  });
  it('a report that breaks the schema is caught by it (the schema is not a rubber stamp)', () => {
    const validate = validator('schema/report.schema.json');
    assert.equal(validate({ ...report, mode: 'dry-run' }), false);
    assert.equal(validate({ ...report, hosts: [{ ...report.hosts[0], status: 'fine' }] }), false);
  });
});

describe('human reports', () => {
  it('groups hosts with the same difference on one line, and hides secrets', () => {
    const text = renderChanges(run).join('\n');
    assert.match(text, /^h2, h5: \[1\] main\.cf \(postconf\): would change\n {4}smtpd_use_tls: no → yes$/m);
    assert.match(text, /bob password: \(secret\) → \(secret\)/);
    assert.ok(!text.includes('HASH'));
    assert.match(text, /^h5: \[3\] svc \(service\): would change after task 1$/m);
  });
  it('the recap has one line per host and the totals', () => {
    const recap = renderRecap(run).join('\n');
    assert.match(recap, /^h5 +ok=0 {2}would-change=3 {2}failed=0 {2}unreachable=0$/m);
    assert.match(recap, /^h9 +ok=0 {2}would-change=0 {2}failed=0 {2}unreachable=1$/m);
    assert.match(recap, /4 host\(s\): 1 in sync, 2 drifted, 0 failed, 1 unreachable/);
  });
  it('exit codes combine as a bitmask', () => {
    assert.equal(exitCode(run, false), 2 | 4);
    assert.equal(exitCode({ ...run, mode: 'apply' }, false), 4);
    assert.equal(exitCode({ ...run, mode: 'apply' }, true), 2 | 4);
    assert.equal(exitCode({ ...run, hosts: [{ ...run.hosts[0]!, status: 'failed' }] }, false), 1);
  });
});

describe('ad-hoc output', () => {
  it('groups identical outputs and keeps different ones apart', () => {
    const out = renderAdhoc([
      { host: 'h10', code: 0, stdout: 'Mail queue is empty\n', stderr: '', unreachable: false },
      { host: 'h2', code: 0, stdout: 'Mail queue is empty\n', stderr: '', unreachable: false },
      { host: 'h3', code: 69, stdout: '', stderr: 'mailq: fatal\n', unreachable: false },
      { host: 'h4', code: null, stdout: '', stderr: '', error: 'h4: connection refused', unreachable: true },
    ]).join('\n');
    assert.match(out, /^h2, h10 \(2 hosts, exit 0\):\n {4}Mail queue is empty$/m);
    assert.match(out, /^h3 \(1 host, exit 69\):\n {4}mailq: fatal$/m);
    assert.match(out, /^h4 \(1 host, unreachable\):/m);
    assert.match(renderAdhoc([{ host: 'h1', code: 1, stdout: '', stderr: '', unreachable: false }]).join('\n'), /^h1 \(1 host, exit 1\):\n {4}\(no output\)$/m);
  });
  it('one argument is shell text; several are quoted words; destructive commands are known', () => {
    assert.equal(commandFromArgs(['postsuper -d ALL']).text, 'postsuper -d ALL');
    assert.equal(commandFromArgs(['echo', 'a b']).text, "echo 'a b'");
    assert.ok(isDestructive('postsuper -d ALL'));
    assert.ok(!isDestructive('mailq'));
  });
});

describe('playbook JSON Schema', () => {
  it('schema/playbook.schema.json is what `tend schema` prints now', () => {
    const committed = JSON.parse(readFileSync('schema/playbook.schema.json', 'utf8'));
    assert.deepEqual(committed, JSON.parse(JSON.stringify(playbookJsonSchema(modules))), 'run: npx tend schema > schema/playbook.schema.json');
  });
  it('accepts every playbook in the repo and rejects broken ones', () => {
    const validate = validator('schema/playbook.schema.json');
    for (const file of ['playbooks/postfix-sasl-tls.yml', 'playbooks/postfix-basic.yml', 'test/fixtures/playbooks/modules.yml']) {
      assert.ok(validate(parse(readFileSync(file, 'utf8'))), `${file}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    }
    for (const file of ['04-unknown-module.yml', '07-wrong-type-bool.yml', '08-unknown-param.yml', '11-unknown-play-key.yml']) {
      assert.equal(validate(parse(readFileSync(`test/fixtures/invalid/${file}`, 'utf8'))), false, file);
    }
  });
});

// Without chalk's colour codes, no escape or bell byte may remain.
const rawControl = (text: string) => [...text.replace(new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g'), '')].some((c) => c === '\u001b' || c === '\u0007');

describe('text a host controls is shown, never obeyed by the terminal', () => {
  it('escapes control characters in diffs, values and command output; keeps newlines and tabs', () => {
    const osc52 = '\x1b]52;c;ZWNobyBwd25lZA==\x07';
    assert.equal(printable(`a\tb\n${osc52}\r\u202e`), 'a\tb\n\\e]52;c;ZWNobyBwd25lZA==\\x07\\r\\u202e');
    const lines = formatChange({ subject: '/etc/motd', kind: 'content', before: 'old\n', after: `new${osc52}\n` }).join('\n');
    assert.equal(rawControl(lines), false);
    assert.match(lines, /\\e\]52;c;/);
    const adhoc = renderAdhoc([{ host: 'h1', code: 0, stdout: `${osc52}ok\n`, stderr: '', unreachable: false }]).join('\n');
    assert.equal(rawControl(adhoc), false);
  });
});
