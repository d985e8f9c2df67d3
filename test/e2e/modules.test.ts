// The modules beyond the seed, on fleet host 10: applied twice, the second run changes
// nothing; a failing `validate` leaves the old file whole.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fleetArgs, onHost, tend, writeTemp } from './helpers.ts';

const HOST = 10;
const PLAYBOOK = 'test/fixtures/playbooks/modules.yml';

describe('modules applied twice on a real host', () => {
  const args = fleetArgs([HOST]);
  before(() => {
    onHost(
      HOST,
      'mkdir -p /srv/unwanted/x && echo "old motd" > /etc/motd && service cron start >/dev/null && ' +
        'DEBIAN_FRONTEND=noninteractive apt-get install -y -q bsd-mailx >/dev/null 2>&1',
    );
  });

  it('the first apply changes every task; the host holds what the tasks say', async () => {
    const r = await tend(['apply', PLAYBOOK, ...args()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const changed = r.stdout.split('\n').filter((l) => /: changed: \[\d+\]/.test(l)).length;
    assert.equal(changed, 12, r.stdout);
    assert.equal(onHost(HOST, 'cat /etc/motd'), 'Welcome to tend-10.\nMail for tend-10.localdomain is handled by postfix.\n');
    assert.equal(onHost(HOST, 'stat -c %a /etc/motd').trim(), '640');
    assert.match(onHost(HOST, 'cat /etc/motd.*~'), /^old motd$/m);
    assert.equal(onHost(HOST, 'cat /etc/tend-test.conf'), 'answer=42\n');
    assert.equal(onHost(HOST, 'stat -c %U:%G:%a /srv/tend/a/b').trim(), 'root:sasl:750');
    assert.equal(onHost(HOST, 'find /srv/tend ! -group sasl | wc -l').trim(), '0');
    assert.equal(onHost(HOST, 'test -e /srv/unwanted && echo there || echo gone').trim(), 'gone');
    assert.equal(onHost(HOST, 'readlink /srv/tend/motd').trim(), '/etc/motd');
    assert.equal(onHost(HOST, 'cat /srv/tend/tuned'), 'tuned\n');
    assert.match(onHost(HOST, "dpkg-query -W -f='${db:Status-Abbrev}' bsd-mailx 2>/dev/null || echo none"), /^(rc|none|un)/);
    assert.match(onHost(HOST, "dpkg-query -W -f='${db:Status-Abbrev}' procmail"), /^ii/);
    assert.match(onHost(HOST, 'service cron status >/dev/null 2>&1; echo $?'), /^[13]$/m);
    assert.match(onHost(HOST, 'id -nG tendsvc'), /\bsasl\b/);
  });

  it('the second apply changes nothing, and check agrees', async () => {
    const stamp = onHost(HOST, 'cat /srv/tend/stamp');
    const r = await tend(['apply', PLAYBOOK, ...args(), '--detailed-exitcode']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /: changed:/);
    assert.equal(onHost(HOST, 'cat /srv/tend/stamp'), stamp, 'creates: the command ran again');
    assert.equal(onHost(HOST, 'cat /srv/tend/tuned'), 'tuned\n', 'unless: the command ran again');
    const check = await tend(['check', PLAYBOOK, ...args()]);
    assert.equal(check.code, 0, check.stdout);
  });

  it('apply --detailed-exitcode says 2 when something changed', async () => {
    onHost(HOST, 'echo answer=41 > /etc/tend-test.conf');
    const r = await tend(['apply', PLAYBOOK, ...args(), '--detailed-exitcode']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(onHost(HOST, 'cat /etc/tend-test.conf'), 'answer=42\n');
  });

  it('a failing validate fails the host and leaves the old file whole, no temporary file behind', async () => {
    const playbook = writeTemp(
      'bad-validate.yml',
      '- hosts: all\n  tasks:\n    - copy:\n        dest: /etc/motd\n        content: "broken\\n"\n        validate: grep -q Welcome %s\n',
    );
    const before = onHost(HOST, 'cat /etc/motd');
    const r = await tend(['apply', playbook, ...args()]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /tend-10: FAILED: \[1\] copy/);
    assert.match(r.stdout, /validate failed: grep -q Welcome %s/);
    assert.equal(onHost(HOST, 'cat /etc/motd'), before);
    assert.equal(onHost(HOST, 'ls -A /etc | grep -c "^\\.tend" || true').trim(), '0');
  });
});

describe('debconf answers read from debconf’s files', () => {
  it('say what debconf-communicate says, for questions with values, without, unknown, and passwords', async () => {
    // A password question with a value, so passwords.dat is read too.
    onHost(HOST, "printf '%s\\n' 'tend-probe tend-probe/secret password s3cret' 'tend-probe tend-probe/empty string' | debconf-set-selections");
    const questions = ['debconf/frontend', 'debconf/priority', 'tend-probe/secret', 'tend-probe/empty', 'tend-probe/none', 'tzdata/Areas'];
    const { modules } = await import('../../tasks/index.ts');
    const { probeBatch } = await import('../../src/engine/batch.ts');
    const debconf = modules.get('debconf')!;
    const params = debconf.params.parse({
      package: 'tend-probe',
      answers: Object.fromEntries(questions.map((q) => [q, { type: q.endsWith('secret') ? 'password' : 'string', value: 'x' }])),
    });
    const batch = probeBatch([debconf.probe(params)]);
    const ours = batch.parse(Buffer.from(onHost(HOST, batch.script.text), 'utf8'))[0]!.sections[0];
    const theirs = onHost(HOST, `printf 'GET %s\\n' ${questions.join(' ')} | DEBIAN_FRONTEND=noninteractive debconf-communicate tend-probe 2>/dev/null; true`);
    assert.equal(ours, theirs);
    assert.match(ours!, /^0 s3cret$/m);
  });
});
