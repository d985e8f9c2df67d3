// Files on a real host never lose a byte, whatever they hold, and are never written
// through a link someone else put there (fleet host 12).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { fleetArgs, onHost, tend, writeTemp } from './helpers.ts';

const HOST = 12;
const DIR = '/srv/roundtrip';

/** A playbook written as JSON (a YAML subset): any string survives its quoting exactly. */
function playbookOf(tasks: object[]): string {
  return writeTemp('playbook.yml', JSON.stringify([{ hosts: 'all', tasks }], null, 1));
}

function sha256(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

describe('file contents round-trip through probe → plan → apply → probe on a real host', () => {
  const args = fleetArgs([HOST]);
  before(() => {
    onHost(HOST, `rm -rf ${DIR} && mkdir -p ${DIR}`);
  });

  it('random and hostile contents are written exactly, then found in sync', async () => {
    const token = 'f'.repeat(24);
    const special = [
      'a=1\n--tend-section--\nkeep=me\nb=2\n',
      `@@${token} 0 end 0\n@@${token} 1 out\n`,
      'nul\0inside\0',
      'no final newline',
      'crlf\r\nlines\r\n',
      '',
      '\n\n\n',
      "quotes ' \" ` $HOME $(id) \\",
      'x'.repeat(1024 * 1024 - 3) + '\n\n\n',
    ];
    const random = fc.sample(
      fc.string({ unit: 'binary', maxLength: 300 }).filter((s) => Buffer.from(s, 'utf8').toString('utf8') === s),
      { numRuns: 25, seed: 20261128 },
    );
    const contents = [...special, ...random];
    const tasks = contents.map((content, i) => ({ name: `file ${i}`, copy: { dest: `${DIR}/f${i}`, content } }));
    const playbook = playbookOf(tasks);

    const first = await tend(['apply', playbook, ...args()]);
    assert.equal(first.code, 0, first.stdout.slice(-3000) + first.stderr);
    const sums = onHost(HOST, `cd ${DIR} && for i in $(seq 0 ${contents.length - 1}); do sha256sum f$i; done`);
    contents.forEach((content, i) => assert.match(sums, new RegExp(`^${sha256(content)}  f${i}$`, 'm'), `f${i} differs on the host`));

    const check = await tend(['check', playbook, ...args()]);
    assert.equal(check.code, 0, `the second probe saw a difference:\n${check.stdout.slice(-3000)}`);
    assert.equal(onHost(HOST, `ls -A ${DIR} | grep -c '^\\.tend' || true`).trim(), '0');
  });
});

describe('links and other users’ directories', () => {
  const args = fleetArgs([HOST]);
  before(() => {
    onHost(
      HOST,
      'id alice >/dev/null 2>&1 || useradd --create-home alice; ' +
        'mkdir -p ~alice/.ssh && chown alice:alice ~alice/.ssh && ' +
        'printf "canary\\n" > /etc/tend-canary && chmod 0600 /etc/tend-canary && ' +
        'ln -sfn /etc/tend-canary ~alice/.ssh/authorized_keys',
    );
  });

  it('a symlink swapped in at the target is refused, and what it points to is untouched', async () => {
    const playbook = playbookOf([
      { copy: { dest: '/home/alice/.ssh/authorized_keys', content: 'ssh-ed25519 AAAA attacker\n', owner: 'alice', mode: '0644' } },
    ]);
    const r = await tend(['apply', playbook, ...args()]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /authorized_keys is a symbolic link \(to \/etc\/tend-canary\); set follow: true/);
    assert.equal(onHost(HOST, 'cat /etc/tend-canary; stat -c %U:%a /etc/tend-canary'), 'canary\nroot:600\n');
    assert.equal(onHost(HOST, 'readlink ~alice/.ssh/authorized_keys').trim(), '/etc/tend-canary');
  });

  it('follow: true writes the file the link points to, and the link stays a link', async () => {
    onHost(HOST, 'printf "old\\n" > /srv/real.conf && ln -sfn /srv/real.conf /srv/link.conf');
    const playbook = playbookOf([{ copy: { dest: '/srv/link.conf', content: 'new\n', mode: '0640', follow: true } }]);
    const r = await tend(['apply', playbook, ...args()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(onHost(HOST, 'cat /srv/real.conf; stat -c %a /srv/real.conf; readlink /srv/link.conf'), 'new\n640\n/srv/real.conf\n');
    const again = await tend(['check', playbook, ...args()]);
    assert.equal(again.code, 0, again.stdout);
  });

  it('a file in a directory its owner controls gets owner and mode before content, with no temporary file left', async () => {
    const playbook = playbookOf([
      { copy: { dest: '/home/alice/.ssh/config', content: 'Host *\n  IdentitiesOnly yes\n', owner: 'alice', group: 'alice', mode: '0600', secret: true } },
    ]);
    const r = await tend(['apply', playbook, ...args()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /IdentitiesOnly/);
    assert.equal(onHost(HOST, 'stat -c %U:%G:%a ~alice/.ssh/config').trim(), 'alice:alice:600');
    assert.equal(onHost(HOST, 'ls -A ~alice/.ssh | grep -c "^\\.tend" || true').trim(), '0');
  });
});

describe('removing things on a real host, twice', () => {
  const args = fleetArgs([HOST]);
  before(() => {
    onHost(HOST, 'id gone >/dev/null 2>&1 || useradd gone; echo x > /srv/tend-absent; echo y > /srv/tend-remove-me');
  });

  it('user state: absent, file state: absent and command removes: act once, then are in sync', async () => {
    const playbook = playbookOf([
      { user: { name: 'gone', state: 'absent' } },
      { file: { path: '/srv/tend-absent', state: 'absent' } },
      { shell: { cmd: 'rm /srv/tend-remove-me && echo ran >> /srv/tend-remove-log', removes: '/srv/tend-remove-me' } },
    ]);
    const first = await tend(['apply', playbook, ...args()]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(first.stdout.split('\n').filter((l) => /: changed: \[\d\]/.test(l)).length, 3, first.stdout);
    assert.equal(onHost(HOST, 'id gone >/dev/null 2>&1 && echo there || echo gone').trim(), 'gone');
    assert.equal(onHost(HOST, 'test -e /srv/tend-absent && echo there || echo gone').trim(), 'gone');
    const second = await tend(['apply', playbook, ...args(), '--detailed-exitcode']);
    assert.equal(second.code, 0, second.stdout);
    assert.equal(onHost(HOST, 'cat /srv/tend-remove-log'), 'ran\n');
  });
});
