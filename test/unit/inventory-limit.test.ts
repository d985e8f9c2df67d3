// Host patterns where tend says more than Ansible's answers can show
// (inventory-conformance-pieces.test.ts compares the hosts themselves): a pattern's
// syntax checked before any inventory is read, --limit @file and its failures, the
// warnings for terms that match nothing, and the implicit localhost.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.ts';
import { parseIniInventory } from '../../src/inventory/ini.ts';
import { patternSyntaxError, resolveHosts, selectHosts } from '../../src/inventory/limit.ts';
import { buildInventory } from '../../src/inventory/model.ts';

const inv = buildInventory(parseIniInventory('hosts', 'lone\n[web]\nweb[1:3]\n[db]\ndb1\n'));
const dir = mkdtempSync(join(tmpdir(), 'tend-limit-'));

function select(pattern: string, limit?: string): { hosts: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const hosts = selectHosts(inv, limit, pattern, (w) => warnings.push(w)).map((h) => h.name);
  return { hosts, warnings };
}

describe('host pattern syntax, before any inventory', () => {
  it('patterns tend can read have no complaint', () => {
    for (const p of ['all', 'web,db', 'web:!db', '&web', '~web[0-9]+', '~(?P<n>w)eb(?P=n)?', 'web[0:1]', '*']) assert.equal(patternSyntaxError(p), undefined, p);
  });
  it('no term, a bare ! or &, or a regular expression tend cannot read: each named', () => {
    assert.equal(patternSyntaxError(''), "host pattern '' names no host or group");
    assert.equal(patternSyntaxError(' , '), "host pattern ' , ' names no host or group");
    assert.equal(patternSyntaxError('web,!'), "host pattern 'web,!': '!' needs a host or group name after it");
    assert.equal(patternSyntaxError('&'), "host pattern '&': '&' needs a host or group name after it");
    assert.equal(patternSyntaxError('web:~(a'), "host pattern 'web:~(a': '~(a' is not a regular expression tend can read");
    assert.equal(patternSyntaxError('!~[z-a]'), "host pattern '!~[z-a]': '~[z-a]' is not a regular expression tend can read");
  });
  it('Python named groups become JavaScript ones: (?P<n>…) and (?P=n)', () => {
    const got = select('~(?P<d>[a-z])(?P=d)?b1').hosts;
    assert.deepEqual(got, ['db1']);
    assert.deepEqual(select('~web(?P<n>[23])').hosts, ['web2', 'web3']);
  });
  // Each answer below is ansible-core 2.14's for the same inventory.
  it('a regular expression matches from the start of a name, not the whole of it; a glob the whole', () => {
    assert.deepEqual(select('~eb').hosts, []);
    assert.deepEqual(select('~we').hosts, ['web1', 'web2', 'web3']);
    assert.deepEqual(select('we*').hosts, ['web1', 'web2', 'web3']);
    assert.deepEqual(select('we?').hosts, ['web1', 'web2', 'web3'], 'the group web');
    assert.deepEqual(select('web.').hosts, []);
    assert.deepEqual(select('web[1-2]').hosts, ['web2', 'web3'], 'a subscript written with -');
    assert.deepEqual(select('w*[3').hosts, ['web1', 'web2', 'web3'], "split into 'w*' and '3'");
  });
  it('an invalid regular expression met while selecting is an InputError naming where it came from', () => {
    assert.throws(() => select('~(a'), (e: unknown) => e instanceof InputError && e.message === "hosts: '~(a' is not a valid pattern");
    assert.throws(() => select('all', 'web,~[z-a]'), (e: unknown) => e instanceof InputError && e.message === "--limit '~[z-a]' is not a valid pattern");
  });
});

describe('--limit', () => {
  it('an empty or blank limit limits nothing', () => {
    assert.deepEqual(select('web', '').hosts, ['web1', 'web2', 'web3']);
    assert.deepEqual(select('web', '  ').hosts, ['web1', 'web2', 'web3']);
  });
  it('@file: one pattern a line, blank lines and spaces ignored, mixed with other terms', () => {
    const file = join(dir, 'retry');
    writeFileSync(file, 'web3\n\n  db1  \nweb1\n');
    assert.deepEqual(select('all', `@${file}`).hosts, ['web1', 'web3', 'db1']);
    assert.deepEqual(select('all', `@${file},!web1`).hosts, ['web3', 'db1']);
    assert.deepEqual(select('web', `lone,@${file}`).hosts, ['web1', 'web3']);
  });
  it('@file that is missing or not a file: an InputError saying which', () => {
    const missing = join(dir, 'nosuch');
    assert.throws(() => select('all', `@${missing}`), (e: unknown) => e instanceof InputError && e.message === `--limit @${missing}: cannot read ${missing} (ENOENT)`);
    assert.throws(() => select('all', `@${dir}`), (e: unknown) => e instanceof InputError && e.message === `--limit @${dir}: not a file`);
  });
  it('terms that match nothing are warned about once each, from hosts: and --limit alike', () => {
    const r = select('web,nosuch,nosuch', 'web1,other');
    assert.deepEqual(r.hosts, ['web1']);
    assert.deepEqual(r.warnings, ["hosts: 'nosuch' matches no host or group of hosts; ignored", "--limit 'other' matches no host or group of hosts; ignored"]);
    assert.deepEqual(select('all').warnings, [], 'all is never warned about');
    assert.deepEqual(select('web[9]').warnings, [], 'a group with a subscript past its end exists: no warning');
    assert.deepEqual(select('nosuch*').warnings, ["hosts: 'nosuch*' matches no host or group of hosts; ignored"]);
  });
  it('without a warn function, warnings go to stderr prefixed with tend:', () => {
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => {
      written.push(chunk);
      return true;
    }) as typeof process.stderr.write;
    try {
      selectHosts(inv, undefined, 'nosuch');
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(written, ["tend: warning: hosts: 'nosuch' matches no host or group of hosts; ignored\n"]);
  });
});

describe('a host and a group of the same name, and other edges (each answer ansible-core 2.14\'s)', () => {
  const same = buildInventory(parseIniInventory('hosts', '[web]\nw1\nw2\n[other]\nweb\n'));
  const names = (pattern: string, on = same) => selectHosts(on, undefined, pattern, () => {}).map((h) => h.name);
  it('the host named exactly wins in a union; !name and &name and name[0] are the group', () => {
    assert.deepEqual(names('web'), ['web']);
    assert.deepEqual(names('!web'), ['web']);
    assert.deepEqual(names('all:!web'), ['web']);
    assert.deepEqual(names('web:&all'), ['web']);
    assert.deepEqual(names('web[0]'), ['w1']);
    assert.deepEqual(names('web*'), ['w1', 'w2', 'web'], 'a glob: the group and the hosts it matches');
  });
  it('a glob that matches only hosts is no warning; an unclosed [ after a comma is a literal [', () => {
    const warnings: string[] = [];
    assert.deepEqual(selectHosts(same, undefined, 'w*1', (w) => warnings.push(w)).map((h) => h.name), ['w1']);
    assert.deepEqual(warnings, []);
    assert.deepEqual(names('w*[2,none'), []);
  });
  it('a backreference must match; a group named localhost is that group', () => {
    assert.deepEqual(names('~(?P<g>w)(?P=g)'), []);
    assert.deepEqual(names('localhost', buildInventory(parseIniInventory('hosts', '[localhost]\nw9\n'))), ['w9']);
  });
  it('without a play pattern, all; syntax: an unclosed [ is no complaint, a regex is read without its ~', () => {
    assert.deepEqual(selectHosts(same, undefined).map((h) => h.name), ['w1', 'w2', 'web']);
    assert.equal(patternSyntaxError('w['), undefined);
    assert.equal(patternSyntaxError('~*'), "host pattern '~*': '~*' is not a regular expression tend can read");
    assert.equal(patternSyntaxError('!~(!'), "host pattern '!~(!': '~(!' is not a regular expression tend can read");
  });
});

describe('localhost not in the inventory', () => {
  it('localhost, 127.0.0.1 and ::1 are this machine, reached without SSH, in no group but all', () => {
    for (const name of ['localhost', '127.0.0.1', '::1']) {
      const [h, ...rest] = selectHosts(inv, undefined, name, () => {});
      assert.equal(rest.length, 0);
      assert.deepEqual(h, { name, connection: 'local', address: name, port: 22, user: 'root', groups: ['all'], vars: { inventory_hostname: name, group_names: [] } });
    }
    assert.deepEqual(select('localhost*').hosts, [], 'only the exact names');
    assert.deepEqual(select('localhost:!localhost').hosts, []);
    assert.deepEqual(select('all').hosts.includes('localhost'), false, 'all does not include it');
  });
  it('an inventory that names localhost keeps its own', () => {
    const own = buildInventory(parseIniInventory('hosts', 'localhost ansible_host=10.0.0.9\n'));
    const [h] = selectHosts(own, undefined, 'localhost', () => {});
    assert.equal(h!.address, '10.0.0.9');
  });
  it('resolveHosts: exclusions and intersections alone start from all', () => {
    assert.deepEqual(resolveHosts(inv, ['!web'], 'x').hosts.map((h) => h.name), ['lone', 'db1']);
    assert.deepEqual(resolveHosts(inv, ['&web', '!web2'], 'x').hosts.map((h) => h.name), ['web1', 'web3']);
  });
});
