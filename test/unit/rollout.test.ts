// Rolling waves (serial:, max_fail_percentage:): the batching and the stops Ansible
// makes, recorded from ansible-core by test/conformance/record-serial.py, compared with
// tend's; the wave runner is a stand-in here (test/e2e/rollout.test.ts uses real hosts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { RunOptions } from '../../src/engine/run.ts';
import { runRollout, usesRollout, waves } from '../../src/engine/rollout.ts';
import type { HostResult } from '../../src/engine/results.ts';
import type { InputError } from '../../src/errors.ts';
import type { Host } from '../../src/inventory/index.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import { modules } from '../../tasks/index.ts';

interface Case {
  hosts: number;
  serial: number | string | (number | string)[];
  max_fail_percentage?: number;
  failing?: string[];
  waves: string[][];
}
const recorded = JSON.parse(readFileSync(new URL('../conformance/expected/serial.json', import.meta.url), 'utf8')) as { cases: Case[] };
const names = (n: number) => Array.from({ length: n }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);
const stats = { roundTrips: 1, bytesSent: 0, bytesReceived: 0, connectMs: 0, durationMs: 0 };
const noEvents = { hostStarted: () => {}, taskStarted: () => {}, taskDone: () => {}, hostDone: () => {} };

function playbookOf(plays: string): ReturnType<typeof loadPlaybook> {
  return loadPlaybook('rollout.yml', modules, plays);
}

/** Runs the rollout with a stand-in for SSH: the `failing` hosts fail, the others change. */
async function rollout(hostCount: number, playsYaml: string, failing: string[] | ((play: string, host: string) => boolean) = []) {
  const fails = typeof failing === 'function' ? failing : (_play: string, host: string) => failing.includes(host);
  const playbook = playbookOf(playsYaml);
  const hosts = names(hostCount).map((name) => ({ name }) as Host);
  const work = new Map(hosts.map((h) => [h, playbook.plays]));
  const ran: string[][] = [];
  const result = await runRollout(playbook.plays, work, { check: false } as RunOptions, noEvents, async (wave) => {
    const batch = [...wave.keys()];
    const play = wave.get(batch[0]!)![0]!.name;
    ran.push(batch.map((h) => h.name));
    return {
      mode: 'apply',
      durationMs: 1,
      hosts: batch.map((h): HostResult => ({ host: h.name, status: fails(play, h.name) ? 'failed' : 'changed', tasks: [], stats })),
    };
  });
  return { ran, result };
}

describe('serial: waves as Ansible makes them', () => {
  for (const c of recorded.cases) {
    const label = `${c.hosts} hosts, serial ${JSON.stringify(c.serial)}${c.max_fail_percentage !== undefined ? `, max_fail_percentage ${c.max_fail_percentage}` : ''}${c.failing ? `, failing ${c.failing.join(' ')}` : ''}`;
    it(label, async () => {
      const serial = Array.isArray(c.serial) ? c.serial : [c.serial];
      if (!c.failing) assert.deepEqual(waves(names(c.hosts), serial), c.waves);
      const play = `- hosts: all\n  serial: ${JSON.stringify(c.serial)}\n${c.max_fail_percentage !== undefined ? `  max_fail_percentage: ${c.max_fail_percentage}\n` : ''}  tasks: []\n`;
      const { ran, result } = await rollout(c.hosts, play, c.failing);
      assert.deepEqual(ran, c.waves, 'the waves that ran');
      const started = new Set(c.waves.flat());
      assert.deepEqual(result.rollout.notStarted, names(c.hosts).filter((h) => !started.has(h)));
      assert.equal(result.rollout.stopped !== undefined, started.size < c.hosts);
    });
  }
});

describe('a rollout over several plays', () => {
  it('runs plays one after another; a failed host takes no part in later plays; the report names who never started', async () => {
    const plays = '- name: one\n  hosts: all\n  serial: 2\n  tasks: []\n- name: two\n  hosts: all\n  serial: 1\n  max_fail_percentage: 0\n  tasks: []\n';
    const { ran, result } = await rollout(4, plays, ['h02']);
    // Play one: h01 h02 | h03 h04 (h02 fails, 1 of 2: not the whole wave). Play two, without h02: h01 fine, h03 …
    assert.deepEqual(ran, [['h01', 'h02'], ['h03', 'h04'], ['h01'], ['h03'], ['h04']]);
    assert.equal(result.rollout.stopped, undefined);
    assert.deepEqual(result.hosts.find((h) => h.host === 'h02')!.status, 'failed');
    // h03 fails in play two only: its wave of one is over max_fail_percentage 0; h04 never gets play two.
    const stop = await rollout(4, plays, (play, host) => play === 'two' && host === 'h03');
    assert.deepEqual(stop.ran, [['h01', 'h02'], ['h03', 'h04'], ['h01'], ['h02'], ['h03']]);
    assert.deepEqual(stop.result.rollout.stopped?.wave, 3);
    assert.deepEqual(stop.result.rollout.notStarted, [], 'every host ran in play one');
    assert.deepEqual(stop.result.rollout.notFinished, ['h04']);
    assert.deepEqual(stop.result.hosts.find((h) => h.host === 'h04')!.status, 'changed');
  });

  it('a wave over max_fail_percentage stops every later wave and play', async () => {
    const plays = '- hosts: all\n  serial: [1, "50%"]\n  max_fail_percentage: 40\n  tasks: []\n- hosts: all\n  tasks: []\n';
    const { ran, result } = await rollout(4, plays, ['h02']);
    assert.deepEqual(ran, [['h01'], ['h02', 'h03']]);
    assert.deepEqual(result.rollout.notStarted, ['h04']);
    assert.deepEqual(result.rollout.stopped, { play: 'play 1', wave: 2, waves: 3, failed: 1, size: 2, reason: '1 of 2 hosts failed, over max_fail_percentage 40' });
  });
});

describe('serial: and max_fail_percentage: are validated with their location', () => {
  for (const [yaml, message] of [
    ['serial: "abc"', /^rollout\.yml:3:11: 0\.serial: a number of hosts or a percentage such as "25%"$/],
    ['serial: -1', /^rollout\.yml:3:11: 0\.serial: /],
    ['serial: []', /^rollout\.yml:3:11: 0\.serial: a list of wave sizes needs at least one$/],
    ['max_fail_percentage: 101', /^rollout\.yml:3:24: 0\.max_fail_percentage: Too big/],
  ] as const) {
    it(yaml, () => {
      assert.throws(() => playbookOf(`- hosts: all\n  tasks: []\n  ${yaml}\n`), (e: InputError) => {
        assert.match(e.format(), message);
        return true;
      });
    });
  }
});

describe('max_fail_percentage: a wave stops the rollout only when its failures are over the limit', () => {
  const play = (limit: number) => `- hosts: all\n  serial: 2\n  max_fail_percentage: ${limit}\n  tasks: []\n`;
  it('exactly at the limit goes on: 1 of 2 failed is 50 %, not over 50', async () => {
    const { ran, result } = await rollout(4, play(50), ['h01']);
    assert.deepEqual(ran, [['h01', 'h02'], ['h03', 'h04']]);
    assert.equal(result.rollout.stopped, undefined);
  });
  it('just over it stops: 1 of 2 failed is over 49', async () => {
    const { ran, result } = await rollout(4, play(49), ['h01']);
    assert.deepEqual(ran, [['h01', 'h02']]);
    assert.deepEqual(result.rollout.notStarted, ['h03', 'h04']);
    assert.equal(result.rollout.stopped?.reason, '1 of 2 hosts failed, over max_fail_percentage 49');
  });
  it('a wave with no failure goes on even with a limit of 0', async () => {
    const { ran } = await rollout(4, play(0), []);
    assert.deepEqual(ran, [['h01', 'h02'], ['h03', 'h04']]);
  });
});

describe('a rollout as the reporters and the report see it', () => {
  type Outcome = Partial<Pick<HostResult, 'status' | 'error'>> & { cpu?: number };
  /** Runs `playsYaml` over `hostCount` hosts; `outcome(play, host)` says how each host's play ends. */
  async function observed(hostCount: number, playsYaml: string, outcome: (play: string, host: string) => Outcome, options: Partial<RunOptions> = {}) {
    const playbook = playbookOf(playsYaml);
    const hosts = names(hostCount).map((name) => ({ name }) as Host);
    const work = new Map(hosts.map((h) => [h, playbook.plays]));
    const started: string[] = [];
    const done: HostResult[] = [];
    const events = { ...noEvents, hostStarted: (h: string) => started.push(h), hostDone: (r: HostResult) => done.push(r) };
    const result = await runRollout(playbook.plays, work, { check: false, ...options } as RunOptions, events, async (wave, _options, waveEvents) => {
      const batch = [...wave.keys()];
      const play = wave.get(batch[0]!)![0]!.name;
      // As runFleet does: every host of every wave is reported started and done.
      for (const h of batch) waveEvents.hostStarted(h.name);
      return {
        mode: 'apply',
        durationMs: 1,
        hosts: batch.map((h): HostResult => {
          const o = outcome(play, h.name);
          const task = { play, number: 1, name: `${play} task`, module: 'command', handler: false, status: 'ok' as const, changes: [], durationMs: 3 };
          return {
            host: h.name,
            status: o.status ?? 'ok',
            ...(o.error !== undefined ? { error: o.error } : {}),
            tasks: [task],
            stats: { roundTrips: 1, bytesSent: 10, bytesReceived: 100, connectMs: 5, durationMs: 7, ...(o.cpu !== undefined ? { remoteCpuMs: o.cpu } : {}) },
          };
        }),
      };
    });
    return { result, started, done };
  }
  const twoPlays = '- name: one\n  hosts: all\n  serial: 1\n  tasks: []\n- name: two\n  hosts: all\n  serial: 2\n  tasks: []\n';

  it('each host starts once and finishes once, with its plays merged: tasks in order, the worst status and its error, stats summed', async () => {
    const { result, started, done } = await observed(2, twoPlays, (play, host) =>
      play === 'one' ? { status: host === 'h01' ? 'changed' : 'ok', cpu: 3 } : host === 'h01' ? { status: 'ok', cpu: 4 } : { status: 'ok' },
    );
    assert.deepEqual(started, ['h01', 'h02']);
    assert.deepEqual(done.map((d) => d.host), ['h01', 'h02']);
    const h01 = done[0]!;
    assert.equal(h01.status, 'changed', 'changed in play one, ok in play two');
    assert.deepEqual(h01.tasks.map((t) => t.play), ['one', 'two']);
    assert.deepEqual(h01.stats, { roundTrips: 2, bytesSent: 20, bytesReceived: 200, connectMs: 10, durationMs: 14, remoteCpuMs: 7 });
    assert.equal(done[1]!.stats.remoteCpuMs, 3, 'host CPU known for one play only still counts');
    assert.deepEqual(result.hosts, done);
    assert.equal(result.mode, 'apply');
    assert.equal(result.interrupted, undefined);
    assert.ok(result.durationMs >= 0);
  });
  it('host CPU stays absent when no play measured it', async () => {
    const { done } = await observed(1, twoPlays, () => ({}));
    assert.equal('remoteCpuMs' in done[0]!.stats, false);
  });
  it('the worst status wins whichever play it came in, with that play’s error', async () => {
    const failedFirst = await observed(1, '- name: one\n  hosts: all\n  tasks: []\n- name: two\n  hosts: all\n  tasks: []\n', (play) => (play === 'one' ? { status: 'changed' } : { status: 'interrupted', error: 'stopped' }));
    assert.deepEqual([failedFirst.done[0]!.status, failedFirst.done[0]!.error], ['interrupted', 'stopped']);
    const pairs = '- name: one\n  hosts: all\n  serial: 2\n  tasks: []\n- name: two\n  hosts: all\n  tasks: []\n';
    const { done } = await observed(2, pairs, (play, host) => (host === 'h02' && play === 'one' ? { status: 'unreachable', error: 'no route' } : { status: 'changed' }));
    // An unreachable host is out of later plays, and finished at once.
    assert.deepEqual(done.map((d) => [d.host, d.status, d.error, d.tasks.length]), [
      ['h02', 'unreachable', 'no route', 1],
      ['h01', 'changed', undefined, 2],
    ]);
  });
  it('a whole wave failing stops the rollout, saying so; a host stopped halfway is finished with what it did', async () => {
    const { result, done } = await observed(3, twoPlays, (play, host) => (play === 'two' && host !== 'h03' ? { status: 'failed', error: 'boom' } : {}));
    assert.deepEqual(result.rollout.stopped, { play: 'two', wave: 1, waves: 2, failed: 2, size: 2, reason: 'every host of the wave failed' });
    assert.deepEqual(result.rollout.notFinished, ['h03']);
    assert.deepEqual(result.rollout.notStarted, []);
    assert.deepEqual(result.rollout.waves, [
      { play: 'one', hosts: ['h01'], failed: 0 },
      { play: 'one', hosts: ['h02'], failed: 0 },
      { play: 'one', hosts: ['h03'], failed: 0 },
      { play: 'two', hosts: ['h01', 'h02'], failed: 2 },
    ]);
    assert.deepEqual(done.map((d) => d.host).sort(), ['h01', 'h02', 'h03']);
  });
  it('the last wave failing whole stops nothing: nothing is left to start', async () => {
    const { result } = await observed(2, '- hosts: all\n  serial: 1\n  tasks: []\n', (_play, host) => (host === 'h02' ? { status: 'failed' } : {}));
    assert.equal(result.rollout.stopped, undefined);
  });
  it('an interrupted run says so, and an interrupted host is not counted as unfinished', async () => {
    const { result } = await observed(2, twoPlays, (play, host) => (host === 'h01' && play === 'one' ? { status: 'interrupted' } : {}), {
      control: { stopping: true } as RunOptions['control'],
    });
    assert.equal(result.interrupted, true);
    assert.deepEqual(result.rollout.notFinished, []);
  });
  it('check mode is reported as check', async () => {
    const { result } = await observed(1, '- hosts: all\n  serial: 1\n  tasks: []\n', () => ({}), { check: true });
    assert.equal(result.mode, 'check');
  });
});

describe('which playbooks roll out, and waves at their edges', () => {
  it('a play with serial: or max_fail_percentage: makes the playbook roll out; others do not', () => {
    assert.equal(usesRollout(playbookOf('- hosts: all\n  tasks: []\n').plays), false);
    assert.equal(usesRollout(playbookOf('- hosts: all\n  tasks: []\n- hosts: all\n  serial: 1\n  tasks: []\n').plays), true);
    assert.equal(usesRollout(playbookOf('- hosts: all\n  max_fail_percentage: 10\n  tasks: []\n').plays), true);
  });
  it('no serial, or serial 0, is one wave of every host; the last size repeats', () => {
    assert.deepEqual(waves(names(3), undefined), [names(3)]);
    assert.deepEqual(waves(names(3), []), [names(3)]);
    assert.deepEqual(waves(names(3), [0]), [names(3)]);
    assert.deepEqual(waves(names(5), [1, 2]), [['h01'], ['h02', 'h03'], ['h04', 'h05']]);
    assert.deepEqual(waves(names(4), ['1%']), [['h01'], ['h02'], ['h03'], ['h04']], 'a percentage under one host is one host');
    assert.deepEqual(waves([], [1]), []);
  });
});
