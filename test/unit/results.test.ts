// The run's verdict (src/engine/results.ts): which task statuses are changes, and the exit
// status as the README's table has it — a bitmask of 1 (a task failed on some host),
// 2 (changes needed in check, or made with apply --detailed-exitcode) and 4 (some host
// unreachable); 130 for a run stopped by Ctrl-C, whatever else happened.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exitCode, INTERRUPTED_EXIT, isChange, type HostResult, type HostStatus, type RunResult, type TaskStatus } from '../../src/engine/results.ts';

const STATUSES: TaskStatus[] = ['ok', 'changed', 'would-change', 'pending', 'failed', 'skipped'];
const stats = { roundTrips: 1, bytesSent: 0, bytesReceived: 0, connectMs: 0, durationMs: 0 };

function host(name: string, status: HostStatus, ...tasks: TaskStatus[]): HostResult {
  return {
    host: name,
    status,
    stats,
    tasks: tasks.map((s, i) => ({ play: 'p', number: i + 1, name: `t${i + 1}`, module: 'command', handler: false, status: s, changes: [], durationMs: 0 })),
  };
}
const run = (mode: 'apply' | 'check', hosts: HostResult[], interrupted?: boolean): RunResult => ({ mode, hosts, durationMs: 0, ...(interrupted === undefined ? {} : { interrupted }) });

describe('the run verdict', () => {
  it('changed, would change and would change after an earlier task are changes; nothing else is', () => {
    assert.deepEqual(
      STATUSES.filter((s) => isChange(s)),
      ['changed', 'would-change', 'pending'],
    );
  });

  it('a run in sync exits 0, in both modes, detailed or not', () => {
    const hosts = [host('a', 'ok', 'ok', 'skipped'), host('b', 'ok', 'ok')];
    for (const mode of ['apply', 'check'] as const) {
      for (const detailed of [false, true]) assert.equal(exitCode(run(mode, hosts), detailed), 0, `${mode} detailed=${detailed}`);
    }
    assert.equal(exitCode(run('check', hosts, false), false), 0, 'interrupted: false is not an interrupt');
    assert.equal(exitCode(run('check', []), true), 0, 'no hosts');
  });

  it('each kind of change, on one host of three, makes check exit 2, and apply only when detailed', () => {
    for (const status of ['changed', 'would-change', 'pending'] as const) {
      const hosts = [host('a', 'ok', 'ok'), host('b', 'changed', 'ok', status, 'ok'), host('c', 'ok')];
      assert.equal(exitCode(run('check', hosts), false), 2, status);
      assert.equal(exitCode(run('check', hosts), true), 2, status);
      assert.equal(exitCode(run('apply', hosts), false), 0, status);
      assert.equal(exitCode(run('apply', hosts), true), 2, status);
    }
    // A host's own status does not count as a change: its tasks do.
    assert.equal(exitCode(run('check', [host('a', 'changed', 'ok')]), true), 0);
  });

  it('one failed host of three: 1; one unreachable: 4; both with changes: 7', () => {
    const failed = host('b', 'failed', 'ok', 'failed', 'skipped');
    const unreachable = host('c', 'unreachable');
    assert.equal(exitCode(run('apply', [host('a', 'ok', 'ok'), failed, host('c', 'ok')]), true), 1);
    assert.equal(exitCode(run('check', [host('a', 'ok', 'ok'), host('b', 'ok'), unreachable]), false), 4);
    assert.equal(exitCode(run('check', [failed, host('a', 'changed', 'would-change'), unreachable]), false), 7);
    assert.equal(exitCode(run('apply', [failed, host('a', 'changed', 'changed'), unreachable]), false), 5);
    // Interrupted hosts are neither failed nor unreachable.
    assert.equal(exitCode(run('apply', [host('a', 'interrupted', 'ok', 'skipped')]), true), 0);
  });

  it('an interrupted run exits 130, whatever its hosts did', () => {
    assert.equal(INTERRUPTED_EXIT, 130);
    const hosts = [host('a', 'failed', 'failed'), host('b', 'changed', 'changed'), host('c', 'unreachable'), host('d', 'interrupted')];
    assert.equal(exitCode(run('apply', hosts, true), true), 130);
    assert.equal(exitCode(run('check', [host('a', 'ok', 'ok')], true), false), 130);
  });
});
