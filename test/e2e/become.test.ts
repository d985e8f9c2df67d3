// become through sudo, as an unprivileged login user (fleet hosts 15 and 16): one host
// lets `deploy` use sudo without a password, the other wants deploy's password. The seed
// playbook converges on both; the password travels on stdin only when sudo asks, and is
// never in a process list, the output or the JSON report.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { quote } from '../../src/shell.ts';
import { startArgvWatch } from './argv-watch.ts';
import { FLEET_KEY, fleet, fleetIp, hostName, KNOWN_HOSTS, onHost, ROOT, tend, writeTemp } from './helpers.ts';

const NOPASSWD = 15;
const WITH_PASSWORD = 16;
const PASSWORD = "s3cret 'pw' $HOME `id`";
const SEED = 'playbooks/postfix-sasl-tls.yml';

/** An inventory that logs in as `deploy` on the given hosts. */
function deployInventory(hosts: number[]): string {
  const lines = ['all:', '  vars:', '    ansible_user: deploy', `    ansible_ssh_private_key_file: ${FLEET_KEY}`, '  hosts:'];
  for (const i of hosts) lines.push(`    ${hostName(i)}:`, `      ansible_host: ${fleetIp(i)}`);
  return writeTemp('deploy.yml', `${lines.join('\n')}\n`);
}

/** The seed playbook with `become: true` on its play. */
function seedWithBecome(): string {
  const text = readFileSync(SEED, 'utf8').replace(/^(- name: .*\n)(\s+hosts: .*\n)/m, '$1$2  become: true\n');
  assert.match(text, /^ {2}become: true$/m);
  return writeTemp('seed-become.yml', text);
}

describe('become: an unprivileged login user with sudo', () => {
  before(() => {
    fleet('reset', String(NOPASSWD));
    fleet('reset', String(WITH_PASSWORD));
    const setup = (sudoers: string) =>
      // `*`: no password, but not locked (sshd refuses a locked account even with a key).
      "useradd --create-home --shell /bin/bash --password '*' deploy && mkdir -p ~deploy/.ssh && cp /root/.ssh/authorized_keys ~deploy/.ssh/ && " +
      `chown -R deploy:deploy ~deploy/.ssh && printf '%s\\n' '${sudoers}' > /etc/sudoers.d/deploy && chmod 0440 /etc/sudoers.d/deploy`;
    onHost(NOPASSWD, setup('deploy ALL=(ALL) NOPASSWD: ALL'));
    onHost(WITH_PASSWORD, setup('deploy ALL=(ALL) ALL'));
    onHost(WITH_PASSWORD, `printf '%s\\n' ${quote(`deploy:${PASSWORD}`)} | chpasswd`);
  });

  it('become on one task of a play that does not become: that task as root (sudo -n), the others as deploy', async () => {
    const playbook = writeTemp(
      'task-become.yml',
      '- hosts: all\n  tasks:\n' +
        '    - name: as root\n      copy: { dest: /etc/tend-task-become, content: "root\\n" }\n      become: true\n' +
        '    - name: as deploy\n      shell: { cmd: "id -un > /tmp/tend-task-who", creates: /tmp/tend-task-who }\n',
    );
    const inventory = deployInventory([NOPASSWD]);
    const r = await tend(['apply', playbook, '-i', inventory, '--known-hosts', KNOWN_HOSTS]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(onHost(NOPASSWD, 'stat -c %U /etc/tend-task-become').trim(), 'root');
    assert.equal(onHost(NOPASSWD, 'cat /tmp/tend-task-who'), 'deploy\n');
    const again = await tend(['apply', playbook, '-i', inventory, '--known-hosts', KNOWN_HOSTS, '--detailed-exitcode']);
    assert.equal(again.code, 0, again.stdout);
  });

  it('without become, deploy cannot write what root owns (the hosts really are unprivileged)', async () => {
    const playbook = writeTemp('plain.yml', '- hosts: all\n  tasks:\n    - copy: { dest: /etc/tend-become, content: "x\\n" }\n');
    const r = await tend(['apply', playbook, '-i', deployInventory([NOPASSWD]), '--known-hosts', KNOWN_HOSTS]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /Permission denied/);
  });

  it('a wrong password fails that host with a clear message, and never shows the password', async () => {
    const playbook = writeTemp('b.yml', '- hosts: all\n  become: true\n  tasks:\n    - copy: { dest: /etc/tend-become, content: "x\\n" }\n');
    const json = writeTemp('wrong.json', '');
    const r = await tend(['apply', playbook, '-i', deployInventory([WITH_PASSWORD]), '--known-hosts', KNOWN_HOSTS, '--become-pass-env', 'TEND_PW', '--json', json], {
      TEND_PW: 'not the password',
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /sudo on deploy@tend-16 refused the become password/);
    assert.doesNotMatch(r.stdout + r.stderr + readFileSync(json, 'utf8'), /not the password/);
  });

  it('the seed playbook converges through become on both hosts; a second run changes nothing', async () => {
    const playbook = seedWithBecome();
    const inventory = deployInventory([NOPASSWD, WITH_PASSWORD]);
    const json = writeTemp('seed.json', '');
    const env = { TEND_PW: PASSWORD };
    const args = ['-i', inventory, '--known-hosts', KNOWN_HOSTS, '--become-pass-env', 'TEND_PW'];
    // While it runs, the password must not be in any process's argv on the host: a
    // recorder there logs every argv, sweep after sweep, from before the run to its end.
    const watch = await startArgvWatch(WITH_PASSWORD);
    const r = await tend(['apply', playbook, ...args, '--json', json], env);
    await watch.stop();
    assert.equal(r.code, 0, r.stdout.slice(-3000) + r.stderr);
    // It saw the sudo that asked for the password (tend's own prompt) …
    assert.ok(watch.linesWith('sudo -k -S -p [tend-sudo-') > 0, 'the recorder never saw sudo asking for the password');
    // … and the password in no process's argv.
    assert.equal(watch.linesWith('s3cret'), 0, 'the password was in a process list');
    assert.doesNotMatch(r.stdout + r.stderr + readFileSync(json, 'utf8'), /s3cret/);
    for (const host of [NOPASSWD, WITH_PASSWORD]) {
      assert.match(onHost(host, 'postconf -h smtpd_sasl_auth_enable'), /^yes$/m);
      assert.equal(onHost(host, 'stat -c %U:%a /etc/postfix/ssl/smtpd.key').trim(), 'root:600');
    }
    const again = await tend(['apply', playbook, ...args, '--detailed-exitcode'], env);
    assert.equal(again.code, 0, again.stdout.slice(-3000));
  });

  it('--ask-become-pass asks once on the terminal, without echo, and tend run becomes root with it', async () => {
    const command = [process.execPath, join(ROOT, 'bin/tend.js'), 'run', '-i', deployInventory([WITH_PASSWORD]), '--known-hosts', KNOWN_HOSTS]
      .concat(['--become', '--ask-become-pass', '--', 'id -u'])
      .map((a) => quote(a))
      .join(' ');
    // script(1) gives tend a terminal; what is typed at it comes from this pipe, once the
    // prompt is on the terminal (typed earlier, the terminal would still echo it).
    const out = await new Promise<string>((resolve) => {
      const child = execFile('script', ['-qec', command, '/dev/null'], { env: { ...process.env, NO_COLOR: '1' } }, (_e, stdout) => resolve(stdout));
      let shown = '';
      const onOutput = (chunk: Buffer | string) => {
        shown += chunk.toString();
        if (!shown.includes('BECOME password:')) return;
        child.stdout!.off('data', onOutput);
        child.stdin!.end(`${PASSWORD}\r`);
      };
      child.stdout!.on('data', onOutput);
    });
    assert.match(out, /BECOME password:/);
    assert.match(out, /^\s+0\r?$/m, out);
    assert.doesNotMatch(out, /s3cret/, 'the password was echoed');
  });
});

