// lineinfile, blockinfile and replace on fleet host 16: check mode says exactly what
// would change and writes nothing; apply leaves the file ansible-core 2.14 leaves (the
// expected text below is what ansible-playbook made of the same playbook and file, run
// locally); a second apply changes nothing; a missing file without create fails.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { fleetArgs, onHost, tend, writeTemp } from './helpers.ts';

const HOST = 16;
const DIR = '/etc/tend-lineinfile';
const INITIAL = '#Port 22\nListenAddress 0.0.0.0\nPubkeyAuthentication yes\nPasswordAuthentication yes\nUsePAM yes';
const FINAL =
  'Port 2222\nListenAddress 0.0.0.0\nAddressFamily inet\nPubkeyAuthentication no\nPasswordAuthentication no\nUsePAM yes\n' +
  '# BEGIN ANSIBLE MANAGED BLOCK\nMatch User backup\n  PasswordAuthentication no\n# END ANSIBLE MANAGED BLOCK\n';
// Before the replace task: what its backup holds.
const BEFORE_REPLACE = FINAL.replace('PubkeyAuthentication no\nPasswordAuthentication no', 'PubkeyAuthentication yes\nPasswordAuthentication yes');

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: sshd port
      lineinfile:
        path: ${DIR}/sshd.conf
        regexp: '^#?Port\\s'
        line: Port 2222
    - name: after ListenAddress
      lineinfile:
        dest: ${DIR}/sshd.conf
        insertafter: '^ListenAddress'
        line: 'AddressFamily inet'
    - name: block
      blockinfile:
        path: ${DIR}/sshd.conf
        block: |
          Match User backup
            PasswordAuthentication no
    - name: replace yes with no
      replace:
        path: ${DIR}/sshd.conf
        regexp: '^(\\w+Authentication) yes$'
        replace: '\\1 no'
        backup: true
    - name: new file
      lineinfile:
        path: ${DIR}/new/d/hello.conf
        line: hello=1
        create: true
        mode: '0640'
`;

interface Report {
  hosts: { tasks: { status: string; changes: { subject: string; before?: string | null; after?: string | null }[] }[] }[];
}

describe('lineinfile, blockinfile and replace on a real host', () => {
  const args = fleetArgs([HOST]);
  const playbook = writeTemp('lineinfile.yml', PLAYBOOK);
  before(() => {
    onHost(HOST, `rm -rf ${DIR} && mkdir -p ${DIR} && printf '%s' '${INITIAL}' > ${DIR}/sshd.conf`);
  });

  it('check mode reports each change, with the diff, and writes nothing', async () => {
    const json = writeTemp('report.json', '');
    const r = await tend(['check', playbook, ...args(), '--json', json]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const tasks = (JSON.parse(readFileSync(json, 'utf8')) as Report).hosts[0]!.tasks;
    assert.deepEqual(
      tasks.map((t) => t.status),
      ['would-change', 'would-change', 'would-change', 'would-change', 'would-change'],
    );
    // Each task is planned against the file as it is now (nothing ran before it).
    const first = tasks[0]!.changes[0]!;
    assert.equal(first.subject, `${DIR}/sshd.conf`);
    assert.equal(first.before, INITIAL);
    assert.equal(first.after, INITIAL.replace('#Port 22', 'Port 2222'));
    assert.equal(tasks[2]!.changes[0]!.after, `${INITIAL}\n# BEGIN ANSIBLE MANAGED BLOCK\nMatch User backup\n  PasswordAuthentication no\n# END ANSIBLE MANAGED BLOCK\n`);
    assert.equal(tasks[4]!.changes[0]!.before, null);
    assert.equal(tasks[4]!.changes[0]!.after, 'hello=1\n');
    assert.equal(onHost(HOST, `cat ${DIR}/sshd.conf`), INITIAL);
    assert.equal(onHost(HOST, `ls -A ${DIR}`), 'sshd.conf\n');
  });

  it('apply leaves what Ansible leaves: the edits, a backup, a new file with its mode', async () => {
    const r = await tend(['apply', playbook, ...args()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.split('\n').filter((l) => /: changed: \[\d+\]/.test(l)).length, 5, r.stdout);
    assert.equal(onHost(HOST, `cat ${DIR}/sshd.conf`), FINAL);
    assert.equal(onHost(HOST, `cat ${DIR}/sshd.conf.*~`), BEFORE_REPLACE);
    assert.equal(onHost(HOST, `stat -c %a:%U ${DIR}/new/d/hello.conf`), '640:root\n');
    assert.equal(onHost(HOST, `cat ${DIR}/new/d/hello.conf`), 'hello=1\n');
    assert.equal(onHost(HOST, `find ${DIR} -name '.tend.*' | wc -l`).trim(), '0', 'no staging directory left');
  });

  it('a second apply changes nothing, and check agrees', async () => {
    const r = await tend(['apply', playbook, ...args(), '--detailed-exitcode']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /: changed:/);
    assert.equal(onHost(HOST, `ls ${DIR} | grep -c '~$'`).trim(), '1', 'no second backup');
    const check = await tend(['check', playbook, ...args()]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
  });

  it('a missing file without create fails the task, as Ansible does', async () => {
    const bad = writeTemp('missing.yml', `- hosts: all\n  gather_facts: false\n  tasks:\n    - lineinfile: { path: ${DIR}/absent.conf, line: x }\n`);
    const r = await tend(['apply', bad, ...args()]);
    assert.equal(r.code & 1, 1, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, new RegExp(`Destination ${DIR}/absent.conf does not exist !`));
    assert.equal(onHost(HOST, `test -e ${DIR}/absent.conf && echo there || echo absent`).trim(), 'absent');
  });
});
