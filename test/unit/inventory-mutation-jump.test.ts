// Bastions named in ansible_ssh_common_args (src/inventory/jump-spec.ts): words are
// separated by any run of blanks, only -J and -o introduce a jump (as in ssh's own
// command line), and the option must be ProxyJump itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jumpFromSshArgs } from '../../src/inventory/jump-spec.ts';

describe('a jump in ssh arguments', () => {
  it('found across runs of blanks and tabs', () => {
    assert.equal(jumpFromSshArgs('-J  b1'), 'b1');
    assert.equal(jumpFromSshArgs('-C  -o\tProxyJump=b2'), 'b2');
  });
  it('only after -J or -o, and only for the option ProxyJump', () => {
    assert.equal(jumpFromSshArgs('-C xxProxyJump=b9'), undefined);
    assert.equal(jumpFromSshArgs('-o NoProxyJump=b1'), undefined);
    assert.equal(jumpFromSshArgs('-o ProxyJumpX=b1'), undefined);
  });
  it('split into words as Ansible splits them (shlex): quotes go, a quoted space stays inside its word', () => {
    assert.equal(jumpFromSshArgs('-o ProxyJump="b1"'), 'b1');
    assert.equal(jumpFromSshArgs("-o 'ProxyJump=ops@b1:2222,b2'"), 'ops@b1:2222,b2');
    assert.equal(jumpFromSshArgs('-o "ProxyJump b3"'), 'b3');
    assert.equal(jumpFromSshArgs('-J "b4" -C'), 'b4');
  });
});
