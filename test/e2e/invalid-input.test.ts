// Bad input exits 8 with file:line:col and contacts no host. The inventory points at a
// listener on loopback that counts connections: it must see none.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { corpus } from '../fixtures/invalid-corpus.ts';
import { ROOT, tend, writeTemp, type TendResult } from './helpers.ts';

/** `tend ARGS…`, killed after `ms` (a loader that hangs must fail the test, not stall it). */
function tendWithin(args: string[], ms: number): Promise<TendResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/tend.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: ms }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('invalid playbooks are rejected before any host is contacted', () => {
  let server: Server;
  let connections = 0;
  let inventory: string;

  before(async () => {
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    inventory = writeTemp('inventory.yml', `all:\n  hosts:\n    watched:\n      ansible_host: 127.0.0.1\n      ansible_port: ${port}\n`);
  });
  after(() => server.close());

  const cases = [
    {
      what: 'a YAML syntax error',
      playbook: '- hosts: all\n  tasks:\n    - apt: { name: postfix\n    - service: {name: postfix}\n',
      expect: /:4:\d+: YAML syntax error/,
    },
    {
      what: 'an unknown module',
      playbook: '- hosts: all\n  tasks:\n    - name: typo\n      aptt:\n        name: postfix\n',
      expect: /:4:7: unknown module 'aptt' \(did you mean 'apt'\?\)/,
    },
    {
      what: 'a parameter of the wrong type',
      playbook: '- hosts: all\n  tasks:\n    - apt:\n        name: postfix\n        update_cache: sometimes\n',
      expect: /:5:23: apt: update_cache: expected boolean/,
    },
    {
      what: 'an unknown parameter',
      playbook: '- hosts: all\n  tasks:\n    - service:\n        name: postfix\n        stat: started\n',
      expect: /:5:9: service: unknown parameter 'stat'/,
    },
    {
      what: 'a notify without its handler',
      playbook: '- hosts: all\n  tasks:\n    - postconf:\n        settings: {a: b}\n      notify: restart postfx\n  handlers:\n    - name: restart postfix\n      service: {name: postfix, state: restarted}\n',
      expect: /:5:15: notify 'restart postfx': no handler of this play has that name \(did you mean 'restart postfix'\?\)/,
    },
  ];

  for (const c of cases) {
    it(`${c.what}: exit 8, file:line:col, no connection`, async () => {
      const file = writeTemp('playbook.yml', c.playbook);
      for (const command of ['apply', 'check']) {
        const r = await tend([command, file, '-i', inventory]);
        assert.equal(r.code, 8, `${command}: ${r.stdout}${r.stderr}`);
        assert.ok(r.stderr.includes(file), r.stderr);
        assert.match(r.stderr, c.expect);
        assert.equal(r.stdout, '');
      }
      assert.equal(connections, 0, 'a host was contacted');
    });
  }

  it('a malformed inventory is rejected with its location too', async () => {
    const playbook = writeTemp('ok.yml', '- hosts: all\n  tasks:\n    - apt: {name: postfix}\n');
    const bad = writeTemp('inventory.yml', 'all:\n  hosts:\n    a:\n      ansible_host: 127.0.0.1\n  hostz:\n    b: {}\n');
    const r = await tend(['check', playbook, '-i', bad]);
    assert.equal(r.code, 8, r.stderr);
    assert.match(r.stderr, /inventory\.yml:5:3: group 'all' has an unknown key 'hostz'/);
    const ini = writeTemp('hosts', '[web]\nweb1 ansible_host=127.0.0.1 ansible_port=notaport\n');
    const r2 = await tend(['check', playbook, '-i', ini]);
    assert.equal(r2.code, 8, r2.stderr);
    assert.match(r2.stderr, /hosts:2:1: host 'web1': port must be a number/);
    assert.equal(connections, 0);
  });

  it('an unreadable or missing inventory, a bad --limit and a bad --task-timeout: exit 8, one sentence, nothing contacted', async () => {
    const playbook = writeTemp('ok.yml', '- hosts: all\n  tasks:\n    - apt: {name: postfix}\n');
    const directory = join(playbook, '..'); // root reads any file: a directory is what stays unreadable
    const cases: [string[], RegExp][] = [
      [['-i', directory], /^tend: .*: inventory .* is not a regular file; tend reads only regular files$/m],
      [['-i', '/nonexistent/hosts'], /^tend: cannot read inventory \/nonexistent\/hosts: ENOENT$/m],
      [['-i', inventory, '--limit', '~web(,db'], /^tend: --limit '~web\(' is not a valid pattern$/m],
      [['-i', inventory, '--limit', 'nosuch'], /^tend: --limit nosuch matches none of the plays' hosts/m],
      [['-i', inventory, '--task-timeout', 'soon'], /^tend: --task-timeout must be a whole number above 0, not 'soon'$/m],
    ];
    for (const [args, expected] of cases) {
      const r = await tend(['check', playbook, ...args]);
      assert.equal(r.code, 8, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, expected);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'a stack trace');
    }
    assert.equal(connections, 0);
  });

  it('loaders that explode (imports fanning out, variables doubling, 3000 parentheses): exit 8 in seconds, the limit and where', async () => {
    const dir = dirname(writeTemp('x', ''));
    // 32 files, each importing the next twice: 2^31 tasks if read whole.
    writeFileSync(join(dir, 'fan.yml'), '- hosts: all\n  tasks:\n    - import_tasks: f0.yml\n');
    for (let k = 0; k < 31; k++) writeFileSync(join(dir, `f${k}.yml`), `- import_tasks: f${k + 1}.yml\n- import_tasks: f${k + 1}.yml\n`);
    writeFileSync(join(dir, 'f31.yml'), '- command: { cmd: "true" }\n');
    const doubling = Array.from({ length: 40 }, (_, k) => `    a${k + 1}: "{{a${k}}}{{a${k}}}"`).join('\n');
    writeFileSync(join(dir, 'double.yml'), `- hosts: all\n  vars:\n    a0: "xxxxxxxxxxxxxxxx"\n${doubling}\n  tasks:\n    - command: { cmd: "echo {{ a40 }}" }\n`);
    writeFileSync(join(dir, 'parens.yml'), `- hosts: all\n  tasks:\n    - command: { cmd: "true" }\n      when: "${'('.repeat(3000)}x${')'.repeat(3000)}"\n`);
    const cases: [string, RegExp][] = [
      ['fan.yml', /f\d+\.yml:\d+:\d+: import_tasks: more than 10000 tasks and imports .*\(the limit\)/],
      ['double.yml', /double\.yml:\d+:5: vars: a1[67]: .*larger than 1 MiB \(the limit on a value\)/],
      ['parens.yml', /parens\.yml:4:13: when: .*nested more than 100 levels \(the limit\)/],
    ];
    for (const [file, expected] of cases) {
      const began = performance.now();
      const r = await tendWithin(['check', join(dir, file), '-i', inventory], 60_000);
      const elapsedS = (performance.now() - began) / 1000;
      assert.equal(r.code, 8, `${file}: ${r.stderr}`);
      assert.match(r.stderr, expected);
      assert.doesNotMatch(r.stderr, /\n\s+at |RangeError/, 'a stack trace');
      assert.ok(elapsedS < 10, `${file}: ${elapsedS.toFixed(1)} s`);
    }
    assert.equal(connections, 0);
  });

  it('a host that answers is contacted (the listener does count)', async () => {
    const playbook = writeTemp('ok.yml', '- hosts: all\n  tasks:\n    - apt: {name: postfix}\n');
    const r = await tend(['check', playbook, '-i', inventory, '--timeout', '2']);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.ok(connections >= 1);
    connections = 0;
  });
});

describe('tend validate on the invalid-input corpus', () => {
  it('every broken file: exit 8 and file:line:col with the expected sentence', async () => {
    const results = await Promise.all(
      corpus.map((c) =>
        c.isInventory ? tend(['validate', 'playbooks/postfix-basic.yml', '-i', c.file]) : tend(['validate', c.file, '-i', 'inventories/lab.yml']),
      ),
    );
    corpus.forEach((c, i) => {
      const r = results[i]!;
      assert.equal(r.code, 8, `${c.name}: ${r.stdout}${r.stderr}`);
      const first = r.stderr.split('\n')[0]!;
      assert.ok(first.startsWith(`tend: ${c.file}:${c.line}:${c.col}: `), `${c.name}: ${first}`);
      assert.ok(first.includes(c.message), `${c.name}: ${first}`);
    });
  });
  it('a valid playbook with its inventory: exit 0', async () => {
    const r = await tend(['validate', 'playbooks/postfix-sasl-tls.yml', '-i', 'inventories/lab.yml']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /valid with inventories\/lab\.yml/);
  });
});
