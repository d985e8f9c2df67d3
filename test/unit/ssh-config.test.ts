// ~/.ssh/config applied as ssh applies it (through `ssh -G`): what the inventory leaves
// open is filled in; what it says wins; bastions are refused clearly.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseIniInventory } from '../../src/inventory/ini.ts';
import { buildInventory } from '../../src/inventory/model.ts';
import { jumpFromSshArgs, parseJumpSpec } from '../../src/inventory/jump-spec.ts';
import { applySshConfig } from '../../src/transport/ssh-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'tend-sshconfig-'));
const config = join(dir, 'config');
const key = join(dir, 'id_deploy');
writeFileSync(key, 'not a real key\n');
writeFileSync(
  config,
  `Host web*\n  HostName %h.example.org\n  User deploy\n  Port 2222\n  IdentityFile ${key}\n  IdentitiesOnly yes\n  ConnectTimeout 7\n` +
    `Host db1\n  ProxyJump bastion.example.org\n` +
    `Host *\n  User fallback\n`,
);

const hostsOf = (ini: string) => [...buildInventory(parseIniInventory('hosts', ini)).hosts.values()];

describe('~/.ssh/config, through ssh -G', () => {
  it('fills in host name, user, port and key the inventory leaves open', () => {
    const [web1] = applySshConfig(hostsOf('web1\n'), config);
    assert.deepEqual([web1!.address, web1!.user, web1!.port, web1!.privateKey], ['web1.example.org', 'deploy', 2222, key]);
    assert.deepEqual([web1!.identitiesOnly, web1!.connectTimeoutS], [true, 7]);
  });
  it('what the inventory says wins, as a command line wins over ssh’s config', () => {
    const [web2] = applySshConfig(hostsOf('web2 ansible_user=ops ansible_port=22\n'), config);
    assert.deepEqual([web2!.address, web2!.user, web2!.port], ['web2.example.org', 'ops', 22]);
    const [other] = applySshConfig(hostsOf('other.example.net\n'), config);
    assert.deepEqual([other!.address, other!.user, other!.port], ['other.example.net', 'fallback', 22]);
  });
  it('a ProxyJump becomes the host’s jump; a ProxyCommand is refused', () => {
    const [db1] = applySshConfig(hostsOf('db1\n'), config);
    assert.deepEqual(db1!.jump?.map((h) => h.address), ['bastion.example.org']);
    writeFileSync(join(dir, 'proxycommand'), 'Host *\n  ProxyCommand nc %h %p\n');
    assert.throws(() => applySshConfig(hostsOf('x\n'), join(dir, 'proxycommand')), /sets ProxyCommand nc %h %p for it; tend goes through bastions with ProxyJump only/);
  });
});

describe('jump specs', () => {
  it('reads ssh -J syntax, from ansible_ssh_common_args too', () => {
    assert.deepEqual(parseJumpSpec('ops@b1.example.org:2222,b2,[2001:db8::1]:22'), [
      { user: 'ops', address: 'b1.example.org', port: 2222 },
      { address: 'b2', port: 22 },
      { address: '2001:db8::1', port: 22 },
    ]);
    assert.equal(jumpFromSshArgs('-o StrictHostKeyChecking=no -J root@b1'), 'root@b1');
    assert.equal(jumpFromSshArgs("-o 'ProxyJump=b1,b2'"), 'b1,b2');
    assert.equal(jumpFromSshArgs('-o ServerAliveInterval=5'), undefined);
    assert.throws(() => parseJumpSpec('a b'), /'a b' is not \[user@\]host\[:port\]/);
  });
  it('a jump in the inventory is the host’s', () => {
    const [h] = hostsOf('h ansible_ssh_common_args="-J ops@b1:2222"\n');
    assert.deepEqual(h!.jump, [{ user: 'ops', address: 'b1', port: 2222 }]);
  });
});
