// The keys people really have, against a real sshd (fleet host 12): RSA (signed with
// rsa-sha2-*, since OpenSSH 9 refuses ssh-rsa), ECDSA, a passphrase-protected ed25519
// key, ssh-agent; and a key the host does not accept, named in the error.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FLEET_KEY, fleet, fleetIp, KNOWN_HOSTS, onHost, tend, writeTemp } from './helpers.ts';

const HOST = 12;
const dir = mkdtempSync(join(tmpdir(), 'tend-keys-'));

function newKey(name: string, type: string, passphrase = ''): string {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '3072'] : []), '-N', passphrase, '-C', name, '-f', file]);
  return file;
}

function inventory(key?: string): string {
  const keyLine = key ? `    ansible_ssh_private_key_file: ${key}\n` : '';
  return writeTemp('inventory.yml', `all:\n  vars:\n    ansible_user: root\n${keyLine}  hosts:\n    tend-${HOST}:\n      ansible_host: ${fleetIp(HOST)}\n`);
}

const PLAYBOOK = () => writeTemp('whoami.yml', '- hosts: all\n  tasks:\n    - command: { cmd: "true", creates: /etc/hostname }\n');

describe('keys people really have', () => {
  const keys: Record<string, string> = {};
  let agent: { pid: string; sock: string } | undefined;
  before(() => {
    keys.rsa = newKey('rsa', 'rsa');
    keys.ecdsa = newKey('ecdsa', 'ecdsa');
    keys.locked = newKey('locked', 'ed25519', 'correct horse');
    keys.agent = newKey('agent', 'ed25519');
    keys.stranger = newKey('stranger', 'ed25519');
    const pubs = ['rsa', 'ecdsa', 'locked', 'agent'].map((k) => readFileSync(`${keys[k]}.pub`, 'utf8').trim()).join('\n');
    onHost(HOST, `printf '%s\\n' '${pubs}' >> /root/.ssh/authorized_keys`);
    const out = execFileSync('ssh-agent', ['-s', '-a', join(dir, 'agent.sock')], { encoding: 'utf8' });
    agent = { pid: /SSH_AGENT_PID=(\d+)/.exec(out)![1]!, sock: join(dir, 'agent.sock') };
    execFileSync('ssh-add', [keys.agent!], { env: { ...process.env, SSH_AUTH_SOCK: agent.sock }, stdio: 'ignore' });
  });
  after(() => {
    if (agent) spawnSync('kill', [agent.pid]);
  });

  const run = (key: string | undefined, extra: string[] = [], env: Record<string, string> = {}) =>
    tend(['check', PLAYBOOK(), '-i', inventory(key), '--known-hosts', KNOWN_HOSTS, ...extra], { SSH_AUTH_SOCK: '', HOME: dir, ...env });

  it('RSA (rsa-sha2) and ECDSA keys log in', async () => {
    for (const k of ['rsa', 'ecdsa']) {
      const r = await run(keys[k]);
      assert.equal(r.code, 0, `${k}: ${r.stdout}${r.stderr}`);
    }
  });

  it('a passphrase-protected key opens with --key-passphrase-env, and is refused clearly without it', async () => {
    const ok = await run(keys.locked, ['--key-passphrase-env', 'KEY_PASS'], { KEY_PASS: 'correct horse' });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const without = await run(keys.locked);
    assert.equal(without.code, 8, without.stdout + without.stderr);
    assert.match(without.stderr, /private key .*locked is protected by a passphrase: give it with --key-passphrase-env NAME/);
    const wrong = await run(keys.locked, ['--key-passphrase-env', 'KEY_PASS'], { KEY_PASS: 'battery staple' });
    assert.equal(wrong.code, 8);
    assert.match(wrong.stderr, /the passphrase does not open it/);
    assert.doesNotMatch(ok.stdout + ok.stderr + wrong.stderr, /correct horse|battery staple/);
  });

  it('ssh-agent identities are used when the inventory names no key', async () => {
    const r = await run(undefined, [], { SSH_AUTH_SOCK: agent!.sock });
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('a key the host does not accept: permission denied, naming the user, the host and the key', async () => {
    const r = await run(keys.stranger);
    assert.equal(r.code, 4, r.stdout);
    assert.match(r.stdout, new RegExp(`permission denied \\(publickey\\) for root@tend-${HOST} with ${keys.stranger!.replaceAll('/', '\\/')}`));
  });
});

describe('ssh config aliases and the exec connection, on a fleet host', () => {
  it('an alias with HostName, User and IdentityFile from --ssh-config; its Port is used too', async () => {
    const config = writeTemp(
      'ssh_config',
      `Host web12\n  HostName ${fleetIp(HOST)}\n  User root\n  IdentityFile ${FLEET_KEY}\n  Port 22\n` +
        `Host web12-elsewhere\n  HostName ${fleetIp(HOST)}\n  User root\n  IdentityFile ${FLEET_KEY}\n  Port 2222\n`,
    );
    const inv = writeTemp('aliases.yml', 'all:\n  hosts:\n    web12:\n    web12-elsewhere:\n');
    const r = await tend(['check', PLAYBOOK(), '-i', inv, '--known-hosts', KNOWN_HOSTS, '--ssh-config', config, '--timeout', '3'], { SSH_AUTH_SOCK: '', HOME: dir });
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stdout, /web12\s+ok=1/);
    assert.match(r.stdout, new RegExp(`web12-elsewhere \\(root@${fleetIp(HOST).replaceAll('.', '\\.')}:2222\\): connection refused`));
  });

  it('ansible_connection: exec through nsenter into the host’s namespaces', async () => {
    const prefix = fleet('exec-prefix', String(HOST)).trim().split('\n');
    const inv = writeTemp('exec.yml', `all:\n  hosts:\n    inside:\n      ansible_connection: exec\n      tend_exec: ${JSON.stringify(prefix)}\n`);
    const playbook = writeTemp('exec-play.yml', '- hosts: all\n  tasks:\n    - copy: { dest: /etc/tend-via-nsenter, content: "{{ inventory_hostname }}\\n" }\n');
    const r = await tend(['apply', playbook, '-i', inv]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(onHost(HOST, 'cat /etc/tend-via-nsenter'), 'inside\n');
    const again = await tend(['check', playbook, '-i', inv]);
    assert.equal(again.code, 0, again.stdout);
  });
});

// Fleet host 32 beside two hosts tend cannot contact: a key file absent from this
// controller, a connection type tend does not have. As in Ansible, only those two fail,
// when their turn comes; listing, `tend inventory` and `tend validate` need no key.
describe('a host whose key cannot be read, or whose connection tend does not have', () => {
  const GOOD = 32;
  const home = mkdtempSync(join(tmpdir(), 'tend-nokey-'));
  const mixed = () =>
    writeTemp(
      'inventory.yml',
      `all:\n  vars:\n    ansible_user: root\n  hosts:\n` +
        `    tend-${GOOD}:\n      ansible_host: ${fleetIp(GOOD)}\n      ansible_ssh_private_key_file: ${FLEET_KEY}\n` +
        `    aws:\n      ansible_host: 192.0.2.10\n      ansible_ssh_private_key_file: ~/.ssh/aws.pem\n` +
        `    win:\n      ansible_host: 192.0.2.11\n      ansible_connection: winrm\n`,
    );
  const env = { HOME: home, SSH_AUTH_SOCK: '' };

  it('only those hosts are unreachable, each with its reason; the good host runs; exit 4', async () => {
    const r = await tend(['check', PLAYBOOK(), '-i', mixed(), '--known-hosts', KNOWN_HOSTS], env);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stdout, /aws: private key ~\/\.ssh\/aws\.pem cannot be read \(ENOENT\)/);
    assert.match(r.stdout, /win: ansible_connection 'winrm' is not one tend has/);
    assert.match(r.stdout, new RegExp(`^tend-${GOOD} +ok=1 .*unreachable=0`, 'm'));
    assert.match(r.stdout, /^aws +.*unreachable=1/m);
    assert.match(r.stdout, /^win +.*unreachable=1/m);
  });

  it('listing hosts, tend inventory and tend validate read no key: exit 0', async () => {
    const inventory = mixed();
    const list = await tend(['run', '--list-hosts', '-i', inventory, '--', 'true'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /3 host\(s\)/);
    assert.match(list.stdout, /aws .*cannot be contacted: private key ~\/\.ssh\/aws\.pem cannot be read/);
    const inv = await tend(['inventory', '-i', inventory, '--host', 'win'], env);
    assert.equal(inv.code, 0, inv.stderr);
    assert.equal(JSON.parse(inv.stdout).ansible_connection, 'winrm');
    const valid = await tend(['validate', PLAYBOOK(), '-i', inventory], env);
    assert.equal(valid.code, 0, valid.stderr);
  });

  it('-e connection variables override the inventory, as in Ansible (-e ansible_user=root where it says nobody)', async () => {
    const inventory = writeTemp('inventory.yml', `all:\n  hosts:\n    tend-${GOOD}:\n      ansible_host: 192.0.2.99\n      ansible_user: nobody\n      ansible_ssh_private_key_file: /nonexistent/key\n`);
    const r = await tend(
      ['check', PLAYBOOK(), '-i', inventory, '--known-hosts', KNOWN_HOSTS, '-e', `ansible_user=root ansible_host=${fleetIp(GOOD)}`, '-e', JSON.stringify({ ansible_ssh_private_key_file: FLEET_KEY })],
      env,
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^tend-${GOOD} +ok=1 .*unreachable=0`, 'm'));
  });
});
