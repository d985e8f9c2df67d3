// tend's facts against Ansible's, on Debian 12 and 13: test/fixtures/facts/ holds
// `ansible -m setup` (ansible-core 2.14.18) and the output of tend's facts snippet, both
// recorded on the same fleet host of each release (test/fixtures/facts/record.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { factVariables, parseFacts } from '../../src/engine/facts.ts';

const recorded = (release: string) => ({
  ansible: (JSON.parse(readFileSync(new URL(`../fixtures/facts/${release}.ansible.json`, import.meta.url), 'utf8')) as { ansible_facts: Record<string, unknown> }).ansible_facts,
  tend: factVariables(parseFacts(readFileSync(new URL(`../fixtures/facts/${release}.snippet.txt`, import.meta.url), 'utf8'))),
});

/**
 * Where tend and Ansible differ on these hosts, and why. The fleet's hosts have no init
 * system: their PID 1 is sshd, which Ansible names as the service manager; tend says
 * how services are run there (their init scripts).
 */
const DEVIATIONS: Record<string, string> = {
  ansible_service_mgr: 'PID 1 is sshd on a fleet host: Ansible says sshd, tend sysvinit',
};

describe('facts: tend’s Ansible names against ansible -m setup on the same host', () => {
  for (const [release, major, minor] of [['bookworm', '12', /^\d+$/], ['trixie', '13', /^\d+$/]] as const) {
    it(`Debian ${major} (${release}): every fact tend names as Ansible does has Ansible’s value`, () => {
      const { ansible, tend } = recorded(release);
      const compared: string[] = [];
      for (const [name, value] of Object.entries(tend)) {
        if (!name.startsWith('ansible_') || name === 'ansible_facts' || !(name in ansible) || name in DEVIATIONS) continue;
        if (name === 'ansible_memtotal_mb') {
          // Ansible said one MB more than MemTotal (kB) / 1024 on both hosts, recorded
          // seconds apart; within a MB is what this can check.
          assert.ok(Math.abs((value as number) - (ansible[name] as number)) <= 1, `${name}: ${String(value)} vs ${String(ansible[name])}`);
        } else {
          assert.deepEqual(value, ansible[name], name);
        }
        compared.push(name);
      }
      // The names playbooks choose by on a release are among those compared.
      for (const name of ['ansible_distribution', 'ansible_distribution_version', 'ansible_distribution_major_version', 'ansible_distribution_minor_version', 'ansible_distribution_release', 'ansible_os_family']) {
        assert.ok(compared.includes(name), `${name} compared`);
      }
      assert.equal(tend.ansible_distribution_major_version, major);
      assert.equal(tend.ansible_distribution_release, release);
      assert.match(String(tend.ansible_distribution_minor_version), minor);
      assert.ok(compared.length >= 16, `${compared.length} facts compared`);
    });
  }

  it('the deviations are still deviations (a fixed one leaves this list)', () => {
    for (const release of ['bookworm', 'trixie']) {
      const { ansible, tend } = recorded(release);
      for (const name of Object.keys(DEVIATIONS)) assert.notDeepEqual(tend[name], ansible[name], `${release}: ${name}`);
    }
  });

  it('tend’s own facts.os keeps the point release; the Ansible names split it as Ansible does', () => {
    const { tend } = recorded('trixie');
    const os = (tend.facts as { os: Record<string, string> }).os;
    assert.deepEqual([os.id, os.codename, os.major, os.family], ['debian', 'trixie', '13', 'Debian']);
    assert.match(os.version!, /^13\.\d+$/);
    assert.equal(`${String(tend.ansible_distribution_version)}.${String(tend.ansible_distribution_minor_version)}`, os.version);
    // A host without /etc/debian_version (or not Debian) has os-release's version only.
    const ubuntu = factVariables(parseFacts('os_id=ubuntu\nos_version=24.04\nos_codename=noble\nos_like=debian\n'));
    assert.deepEqual([ubuntu.ansible_distribution, ubuntu.ansible_distribution_version, ubuntu.ansible_distribution_major_version, ubuntu.ansible_os_family], ['Ubuntu', '24.04', '24', 'Debian']);
  });
});
