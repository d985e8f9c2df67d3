// Rolling waves (serial:, max_fail_percentage:): the batching and the stops Ansible
// makes, recorded from ansible-core by test/conformance/record-serial.py, compared with
// tend's; the wave runner is a stand-in here (test/e2e/rollout.test.ts uses real hosts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { RunOptions } from '../../src/engine/run.ts';
import { runRollout, waves } from '../../src/engine/rollout.ts';
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
