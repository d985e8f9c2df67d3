// Secrets on a real host (fleet host 30). A task that runs as another user (become_user)
// travels to that user's shell on stdin, never in argv: a recorder on the host logs every
// process's argv while the task waits until the recorder has seen it, and the task's
// secrets (an environment value, its validate command, the base64 of a secret file's
// content) are in no line of that log — through runuser (login as root) and through
// `sudo -n` (login as an unprivileged user).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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
      file:
        path: ${watch.dir}/secret-file
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
