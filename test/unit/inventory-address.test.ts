// Host entries that are refused, and why (src/inventory/address.ts). Which entries
// Ansible refuses is checked against ansible-core in inventory-conformance-pieces; here,
// what tend says about each, and where the limits on ranges are.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { expandHostEntry, MAX_RANGE_HOSTS, parseAddress } from '../../src/inventory/address.ts';

const at = { file: 'hosts', line: 3, col: 1 };
function refused(entry: string, message: string): void {
  assert.throws(
    () => expandHostEntry(entry, at),
    (e: unknown) => e instanceof InputError && e.message === message && e.location === at,
    `${entry}: ${message}`,
  );
}

describe('host entries tend refuses, each with its reason and the line', () => {
  it('a name ending in : (a port with no number)', () => {
    refused('web:', "host 'web:': a name cannot end in ':' (it introduces a port)");
    refused('web: ', "host 'web: ': a name cannot end in ':' (it introduces a port)");
    assert.deepEqual(expandHostEntry('web:22'), { names: ['web'], port: 22 });
    assert.deepEqual(expandHostEntry(':web'), { names: [':web'] }, 'only a colon at the end');
  });
  it('ranges that are not [begin:end] or [begin:end:step]', () => {
    refused('web[1:3', "host 'web[1:3': a range needs its closing ']'");
    refused('web[1]', "host range 'web[1]' must be [begin:end] or [begin:end:step]");
    refused('web[1:2:3:4]', "host range 'web[1:2:3:4]' must be [begin:end] or [begin:end:step]");
    refused('web[1:]', "host range 'web[1:]' must give its end");
    refused('web[1:3:0]', "host range 'web[1:3:0]': the step must be a whole number, 1 or more");
    refused('web[1:3:x]', "host range 'web[1:3:x]': the step must be a whole number, 1 or more");
    refused('web[1:3:1.5]', "host range 'web[1:3:1.5]': the step must be a whole number, 1 or more");
    refused('web[01:3]', "host range 'web[01:3]': begin and end must have the same width (01, 3)");
    refused('web[c:a]', "host range 'web[c:a]' must have begin <= end");
    refused('web[a:10]', "host range 'web[a:10]' must be numbers or single letters");
    refused('web[aa:bb]', "host range 'web[aa:bb]' must be numbers or single letters");
    refused('web[1:b]', "host range 'web[1:b]' must be numbers or single letters");
  });
  // Each of these names lists is ansible-core 2.14's for the same entry.
  it('ranges that expand as Ansible expands them', () => {
    assert.deepEqual(expandHostEntry('web[:2]').names, ['web0', 'web1', 'web2'], 'an empty begin is 0');
    assert.deepEqual(expandHostEntry('web[0:2]').names, ['web0', 'web1', 'web2'], 'a single 0 is not a width');
    assert.deepEqual(expandHostEntry('web[08:11]').names, ['web08', 'web09', 'web10', 'web11']);
    // Letters run a–z then A–Z, as Python's string.ascii_letters.
    assert.deepEqual(expandHostEntry('web[x:B]').names, ['webx', 'weby', 'webz', 'webA', 'webB']);
    refused('web[Y:b]', "host range 'web[Y:b]' must have begin <= end");
    assert.deepEqual(expandHostEntry('web[a:e:2]').names, ['weba', 'webc', 'webe']);
    assert.deepEqual(expandHostEntry('web[3:3]').names, ['web3']);
    assert.deepEqual(expandHostEntry('web[3:1]').names, [], 'begin after end makes nothing, as in Ansible');
    assert.deepEqual(expandHostEntry('a[1:2]b[x:y]c').names, ['a1bxc', 'a1byc', 'a2bxc', 'a2byc']);
    assert.deepEqual(expandHostEntry('web[1:2]:2200'), { names: ['web1', 'web2'], port: 2200 });
  });
  it(`at most ${MAX_RANGE_HOSTS} hosts from one entry, in one range or several`, () => {
    assert.equal(MAX_RANGE_HOSTS, 100_000);
    assert.equal(expandHostEntry('h[1:100000]').names.length, 100_000);
    assert.equal(expandHostEntry('h[0:199999:2]').names.length, 100_000);
    refused('h[1:100001]', "host range 'h[1:100001]' makes more than 100000 hosts");
    refused('h[0:200000:2]', "host range 'h[0:200000:2]' makes more than 100000 hosts");
    assert.equal(expandHostEntry('h[1:1000]x[1:100]').names.length, 100_000);
    refused('h[1:1000]x[1:101]', "host range 'h[1:1000]x[1:101]' makes more than 100000 hosts");
    refused('h[1:1001]x[1:100]', "host range 'h[1:1001]x[1:100]' makes more than 100000 hosts");
  });
});

describe('parseAddress', () => {
  it('the last :port is the port; a bracketed host may hold colons', () => {
    assert.deepEqual(parseAddress('[web]:22'), { host: 'web', port: 22 });
    assert.deepEqual(parseAddress('[::1]:2222'), { host: '::1', port: 2222 });
    assert.deepEqual(parseAddress('::1'), { host: '::1' });
    assert.equal(parseAddress('[web]:22x'), undefined);
    assert.equal(parseAddress('x[web]:22'), undefined);
    assert.equal(parseAddress(''), undefined);
  });
});
