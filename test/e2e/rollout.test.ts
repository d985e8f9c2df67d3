// Rolling waves on real hosts (20–23): `serial: [1, "50%"]` runs tend-20 alone, then
// tend-21 and tend-22 together, then tend-23; a wave over `max_fail_percentage` stops
// the rollout and the report names the host never started. (Only /var/tmp/tend-rollout-*
// is touched on these hosts, which the HTML report test shares.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { FLEET_KEY, fleetIp, KNOWN_HOSTS, onHost, tend, writeTemp } from './helpers.ts';

const HOSTS = [20, 21, 22, 23];
const MARKER = '/var/tmp/tend-rollout-ran';
const PLAYBOOK = `- name: rolling restart
  hosts: all
  serial: [1, "50%"]
  max_fail_percentage: 40
  tasks:
    - name: wave marker
      shell: { cmd: "date +%s%N > ${MARKER}; sleep 0.5" }
    - name: health check
      command: { cmd: "{{ health }}" }
`;

/** When each host's wave marker was written (ns since the epoch), or null. */
function markerTimes(): (bigint | null)[] {
  return HOSTS.map((i) => {
    const out = onHost(i, `cat ${MARKER} 2>/dev/null || true`).trim();
    return out === '' ? null : BigInt(out);
  });
}

describe('rolling waves (serial:, max_fail_percentage:)', () => {
  let args: string[];
  let playbook: string;
  before(() => {
    for (const i of HOSTS) onHost(i, `rm -f ${MARKER}`);
    const lines = ['all:', `  vars: { ansible_user: root, ansible_ssh_private_key_file: ${FLEET_KEY}, health: "true" }`, '  hosts:'];
    // tend-22 fails its health check.
    for (const i of HOSTS) lines.push(`    tend-${i}: { ansible_host: ${fleetIp(i)}${i === 22 ? ', health: "false"' : ''} }`);
    args = ['-i', writeTemp('inventory.yml', `${lines.join('\n')}\n`), '--known-hosts', KNOWN_HOSTS];
    playbook = writeTemp('rollout.yml', PLAYBOOK);
  });

  it('a failing wave stops the rollout: later hosts never start, and the report says which', async () => {
    const json = writeTemp('rollout.json', '');
    const r = await tend(['apply', playbook, ...args, '--json', json]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^rollout stopped in play 'rolling restart', wave 2 of 3: 1 of 2 hosts failed, over max_fail_percentage 40$/m);
    assert.match(r.stdout, /^never started \(1\): tend-23$/m);
    assert.match(r.stdout, /^3 host\(s\): 0 in sync, 2 changed, 1 failed, 0 unreachable; 1 never started/m);

    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.deepEqual(report.rollout.waves, [
      { play: 'rolling restart', hosts: ['tend-20'], failed: 0 },
      { play: 'rolling restart', hosts: ['tend-21', 'tend-22'], failed: 1 },
    ]);
    assert.deepEqual(report.rollout.notStarted, ['tend-23']);
    assert.deepEqual(report.hosts.map((h: { name: string }) => h.name), ['tend-20', 'tend-21', 'tend-22']);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync('schema/report.schema.json', 'utf8')));
    assert.ok(validate(report), JSON.stringify(validate.errors));

    // On the hosts: tend-23 was never touched; wave 2 began after wave 1 had ended.
    const [t20, t21, t22, t23] = markerTimes();
    assert.equal(t23, null, 'tend-23 never started');
    assert.ok(t20 !== null && t21 !== null && t22 !== null);
    const halfSecond = 500_000_000n;
    assert.ok(t21! - t20! >= halfSecond && t22! - t20! >= halfSecond, `wave 2 started ${(t21! - t20!) / 1_000_000n} ms after wave 1`);
  });

  it('with every host healthy, every wave runs in order', async () => {
    for (const i of HOSTS) onHost(i, `rm -f ${MARKER}`);
    const json = writeTemp('rollout-ok.json', '');
    const r = await tend(['apply', playbook, ...args, '-e', 'health=true', '--json', json]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.deepEqual(
      report.rollout.waves.map((w: { hosts: string[] }) => w.hosts),
      [['tend-20'], ['tend-21', 'tend-22'], ['tend-23']],
    );
    assert.equal(report.rollout.stopped, undefined);
    const [t20, t21, t22, t23] = markerTimes();
    assert.ok(t20! < t21! && t20! < t22! && t21! < t23! && t22! < t23!, 'waves in order');
  });

  it('check mode rolls out the same way and changes nothing', async () => {
    for (const i of HOSTS) onHost(i, `rm -f ${MARKER}`);
    const r = await tend(['check', playbook, ...args]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.deepEqual(markerTimes(), [null, null, null, null]);
  });
});
