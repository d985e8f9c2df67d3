// Hosts reached only through bastions (fleet hosts 17, 18, 19): 18 sits behind 19, and
// 19 behind 17 — their links moved into the bastion's network namespace, so nothing
// else can reach them. tend goes through one or two hops, from the inventory's
// ansible_ssh_common_args or from ~/.ssh/config's ProxyJump, verifying every hop's key.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FLEET_KEY, fleet, fleetIp, KNOWN_HOSTS, onHost, tend, writeTemp } from './helpers.ts';

const OUTER = 17;
const INNER = 19;
const TARGET = 18;

function inventory(hosts: Record<string, Record<string, string>>): string {
  const lines = ['all:', '  vars:', '    ansible_user: root', `    ansible_ssh_private_key_file: ${FLEET_KEY}`, '  hosts:'];
  for (const [name, vars] of Object.entries(hosts)) {
    lines.push(`    ${name}:`);
    for (const [k, v] of Object.entries(vars)) lines.push(`      ${k}: ${JSON.stringify(v)}`);
  }
  return writeTemp('inventory.yml', `${lines.join('\n')}\n`);
}

const PLAYBOOK = () => writeTemp('reach.yml', '- hosts: all\n  tasks:\n    - copy: { dest: /etc/tend-reached, content: "{{ inventory_hostname }}\\n" }\n');

describe('bastions: one hop, two hops, keys verified at each', () => {
  before(() => {
    for (const i of [OUTER, TARGET, INNER]) onHost(i, 'rm -f /etc/tend-reached');
    fleet('behind', String(INNER), String(OUTER));
    fleet('behind', String(TARGET), String(INNER));
  });
  after(() => {
    fleet('behind', String(TARGET), '-');
    fleet('behind', String(INNER), '-');
  });

  it('the inner hosts are out of reach without their bastions', async () => {
    const r = await tend(['check', PLAYBOOK(), '-i', inventory({ direct: { ansible_host: fleetIp(INNER) } }), '--known-hosts', KNOWN_HOSTS, '--timeout', '2']);
    assert.equal(r.code, 4, r.stdout);
  });

  it('one hop and two hops from ansible_ssh_common_args', async () => {
    const jump1 = `root@${fleetIp(OUTER)}`;
    const jump2 = `${jump1},root@${fleetIp(INNER)}`;
    const inv = inventory({
      inner: { ansible_host: fleetIp(INNER), ansible_ssh_common_args: `-J ${jump1}` },
      target: { ansible_host: fleetIp(TARGET), ansible_ssh_common_args: `-o ProxyJump=${jump2}` },
    });
    const r = await tend(['apply', PLAYBOOK(), '-i', inv, '--known-hosts', KNOWN_HOSTS, '--timeout', '3']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(onHost(INNER, 'cat /etc/tend-reached'), 'inner\n');
    assert.equal(onHost(TARGET, 'cat /etc/tend-reached'), 'target\n');
    const again = await tend(['check', PLAYBOOK(), '-i', inv, '--known-hosts', KNOWN_HOSTS, '--timeout', '3']);
    assert.equal(again.code, 0, again.stdout);
  });

  it('a bastion whose key is not in known_hosts is refused, and nothing behind it is reached', async () => {
    const withoutOuter = writeTemp(
      'known_hosts',
      readFileSync(KNOWN_HOSTS, 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith(`${fleetIp(OUTER)} `))
        .join('\n'),
    );
    onHost(INNER, 'rm -f /etc/tend-reached');
    const inv = inventory({ inner: { ansible_host: fleetIp(INNER), ansible_ssh_common_args: `-J root@${fleetIp(OUTER)}` } });
    const r = await tend(['apply', PLAYBOOK(), '-i', inv, '--known-hosts', withoutOuter, '--timeout', '3']);
    assert.equal(r.code, 4, r.stdout);
    assert.match(r.stdout, new RegExp(`inner: through ${fleetIp(OUTER).replaceAll('.', '\\.')}: host key of bastion root@${fleetIp(OUTER).replaceAll('.', '\\.')}`));
    assert.equal(onHost(INNER, 'test -e /etc/tend-reached && echo reached || echo not').trim(), 'not');
  });

  it('ssh config (--ssh-config): an alias with HostName, User and ProxyJump, as ssh reads it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tend-home-'));
    mkdirSync(join(home, '.ssh'));
    writeFileSync(
      join(home, '.ssh', 'config'),
      `Host outer\n  HostName ${fleetIp(OUTER)}\n  User root\n` +
        `Host deep\n  HostName ${fleetIp(TARGET)}\n  User root\n  ProxyJump outer,root@${fleetIp(INNER)}\n`,
    );
    onHost(TARGET, 'rm -f /etc/tend-reached');
    const inv = writeTemp('alias.yml', `all:\n  vars:\n    ansible_ssh_private_key_file: ${FLEET_KEY}\n  hosts:\n    deep:\n`);
    const r = await tend(['apply', PLAYBOOK(), '-i', inv, '--known-hosts', KNOWN_HOSTS, '--timeout', '3', '--ssh-config', join(home, '.ssh', 'config')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(onHost(TARGET, 'cat /etc/tend-reached'), 'deep\n');
  });
});
