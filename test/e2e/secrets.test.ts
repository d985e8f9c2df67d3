// Secrets on a real host (fleet host 30). A task that runs as another user (become_user)
// travels to that user's shell on stdin, never in argv: a recorder on the host logs every
// process's argv while the task waits until the recorder has seen it, and the task's
// secrets (an environment value, its validate command, the base64 of a secret file's
// content) are in no line of that log — through runuser (login as root) and through
// `sudo -n` (login as an unprivileged user).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { startArgvWatch } from './argv-watch.ts';
import { FLEET_KEY, fleet, fleetIp, fleetArgs, hostName, KNOWN_HOSTS, onHost, tend, writeTemp } from './helpers.ts';

const HOST = 30;

describe('become_user: the task script reaches the other user on stdin, never in argv', () => {
  before(() => {
    fleet('reset', String(HOST));
    // `deploy` logs in with the fleet key and may sudo without a password (the sudo -n path).
    onHost(
      HOST,
      "useradd --create-home --shell /bin/bash --password '*' deploy && mkdir -p ~deploy/.ssh && cp /root/.ssh/authorized_keys ~deploy/.ssh/ && " +
        "chown -R deploy:deploy ~deploy/.ssh && printf '%s\\n' 'deploy ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/deploy && chmod 0440 /etc/sudoers.d/deploy",
    );
  });

  const cases = [
    { login: 'root', wrapper: 'runuser -u nobody -- ', inventory: () => fleetArgs([HOST])() },
    {
      login: 'deploy',
      wrapper: 'sudo -n -u nobody -- ',
      inventory: () => {
        const text = `all:\n  vars:\n    ansible_user: deploy\n    ansible_ssh_private_key_file: ${FLEET_KEY}\n  hosts:\n    ${hostName(HOST)}:\n      ansible_host: ${fleetIp(HOST)}\n`;
        return ['-i', writeTemp('deploy.yml', text), '--known-hosts', KNOWN_HOSTS];
      },
    },
  ];
  for (const { login, wrapper, inventory } of cases) {
    it(`logged in as ${login}: ${wrapper.trim()} carries no secret of the task in its argv`, async () => {
      const marker = `tend-marker-${randomBytes(6).toString('hex')}`;
      const watch = await startArgvWatch(HOST);
      const content = `${marker}-content\n`;
      const playbook = writeTemp(
        'become-user.yml',
        `- hosts: all
  tasks:
    - name: a secret file written as nobody
      become: true
      become_user: nobody
      environment: { TEND_TOKEN: "${marker}-env" }
      copy:
        dest: ${watch.dir}/secret-file
        content: ${JSON.stringify(content)}
        secret: true
        validate: "${watch.waitUntilSeen}; : ${marker}-validate %s"
`,
      );
      const r = await tend(['apply', playbook, ...inventory()]);
      await watch.stop();
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(onHost(HOST, `stat -c %U ${watch.dir}/secret-file; cat ${watch.dir}/secret-file`), `nobody\n${content}`);
      // The recorder saw the task's wrapper while the task waited for it …
      assert.ok(watch.linesWith(wrapper) > 0, `the recorder never saw '${wrapper}'`);
      // … and none of the task's secrets in anyone's argv.
      for (const secret of [marker, Buffer.from(content).toString('base64')]) assert.equal(watch.linesWith(secret), 0, `${secret} was in a process's argv`);
      assert.doesNotMatch(r.stdout + r.stderr, new RegExp(marker));
    });
  }
});

describe('loop labels and no_log on a real host: no secret in stdout, JSON, HTML or --stats', () => {
  // Two accounts whose password hashes come from the loop items (user's password is secret).
  const HASHES = ['$6$tendsalt1$' + 'A'.repeat(40), '$6$tendsalt2$' + 'b'.repeat(40)];
  const vars = `  vars:\n    accounts:\n${HASHES.map((h, i) => `      - { name: tendsec${i}, password: "${h}", note: "account ${i}" }`).join('\n')}\n`;
  const playbook = () =>
    writeTemp(
      'loop-secrets.yml',
      `- hosts: all\n${vars}  tasks:
    - name: accounts
      user: { name: "{{ item.name }}", password: "{{ item.password }}" }
      loop: "{{ accounts }}"
    - name: accounts again, labelled
      user: { name: "{{ item.name }}", password: "{{ item.password }}" }
      loop: "{{ accounts }}"
      loop_control: { label: "{{ item.name }} {{ item.password }}" }
    - name: a command whose output is hidden
      shell: { cmd: "echo tend-nolog-output; exit 4" }
      no_log: true
      ignore_errors: true
`,
    );
  const everything = (r: { stdout: string; stderr: string }, files: string[]) => r.stdout + r.stderr + files.map((f) => readFileSync(f, 'utf8')).join('\n');

  it('apply, then check: labels show the name and (secret), no_log shows its status only', async () => {
    fleet('reset', String(HOST));
    const file = playbook();
    const json = writeTemp('run.json', '');
    const html = writeTemp('run.html', '');
    const r = await tend(['apply', file, ...fleetArgs([HOST])(), '--json', json, '--html', html, '--stats']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const shown = everything(r, [json, html]);
    for (const h of HASHES) {
      assert.ok(!shown.includes(h.slice(0, 14)) && !shown.includes(h.slice(-14)), `a password hash was shown:\n${r.stdout}`);
    }
    assert.ok(!shown.includes('tend-nolog-output'), 'no_log output was shown');
    // What is shown instead, in each place.
    assert.match(r.stdout, /accounts \(\{"name":"tendsec0","password":"\(secret\)","note":"account 0"\}\)/);
    assert.match(r.stdout, /accounts again, labelled \(tendsec1 \(secret\)\)/);
    assert.match(r.stdout, /a command whose output is hidden .*failed \(ignored\)[\s\S]*\(output hidden: no_log\)/i);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { hosts: { tasks: { name: string; item?: string; status: string; error?: string }[] }[] };
    const tasks = report.hosts[0]!.tasks;
    assert.deepEqual(
      tasks.map((t) => [t.item ?? null, t.status, t.error ?? null]),
      [
        ['{"name":"tendsec0","password":"(secret)","note":"account 0"}', 'changed', null],
        ['{"name":"tendsec1","password":"(secret)","note":"account 1"}', 'changed', null],
        ['tendsec0 (secret)', 'ok', null],
        ['tendsec1 (secret)', 'ok', null],
        [null, 'failed', '(output hidden: no_log)'],
      ],
    );
    assert.ok(onHost(HOST, 'getent shadow tendsec0').includes(HASHES[0]!), 'the hash did reach the host');
    const check = await tend(['check', file, ...fleetArgs([HOST])(), '--stats']);
    assert.ok(!everything(check, []).includes(HASHES[1]!.slice(0, 14)) && !check.stdout.includes('tend-nolog-output'), check.stdout);
  });
});
