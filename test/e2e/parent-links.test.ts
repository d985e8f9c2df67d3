// A user's link in the middle of a path never redirects a root write (issue 18, finding
// 1), on a real host (fleet host 27): mallory makes ~/.ssh a link to /root/.ssh, and no
// module may then write, remove, chmod, create or link anything in /root/.ssh through it.
// Root's own links (/var/run → /run) keep working.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fleetArgs, onHost, tend, writeTemp } from './helpers.ts';

const HOST = 27;
const KEYS = '/root/.ssh/authorized_keys';

function playbookOf(tasks: object[]): string {
  return writeTemp('playbook.yml', JSON.stringify([{ hosts: 'all', tasks }], null, 1));
}

/** What root's .ssh holds: names, modes, owners and every file's hash. */
function rootSsh(): string {
  return onHost(HOST, 'cd /root/.ssh && ls -la --time-style=+ . | sed 1d && sha256sum *');
}

describe("a user's link in a parent directory, on a real host", () => {
  const args = fleetArgs([HOST]);
  let pristine = '';
  before(() => {
    onHost(
      HOST,
      'id mallory >/dev/null 2>&1 || useradd --create-home mallory; rm -rf ~mallory/.ssh; ' +
        'runuser -u mallory -- ln -s /root/.ssh /home/mallory/.ssh; ' +
        'runuser -u mallory -- mkdir -p /home/mallory/ok; ' +
        'runuser -u mallory -- ln -sfn ok /home/mallory/mine',
    );
    pristine = rootSsh();
  });

  const UNSAFE = /unsafe path: .* is owned by root \(uid 0\) but was reached through \/home\/mallory\/\.ssh, owned by uid \d+/;
  // [what, task, the refusal] — a link at the path itself is refused by the module.
  const tasks: [string, object, RegExp?][] = [
    ['file content', { copy: { dest: '/home/mallory/.ssh/authorized_keys', content: 'ssh-ed25519 AAAA mallory\n' } }],
    ['file mode only', { file: { path: '/home/mallory/.ssh/authorized_keys', mode: '0666' } }],
    ['file absent', { file: { path: '/home/mallory/.ssh/authorized_keys', state: 'absent' } }],
    ['file touch', { file: { path: '/home/mallory/.ssh/authorized_keys', state: 'touch' } }],
    ['directory', { file: { path: '/home/mallory/.ssh/new', state: 'directory', mode: '0777' } }],
    ['directory mode (the link followed)', { file: { path: '/home/mallory/.ssh', state: 'directory', mode: '0777' } }],
    ['directory mode (follow: false)', { file: { path: '/home/mallory/.ssh', state: 'directory', mode: '0777', follow: false } }, /\/home\/mallory\/\.ssh already exists as a link/],
    ['directory recurse', { file: { path: '/home/mallory/.ssh', state: 'directory', recurse: true, owner: 'mallory' } }],
    ['link force', { file: { src: '/tmp/x', dest: '/home/mallory/.ssh/authorized_keys', state: 'link', force: true } }],
    ['hard link from there', { file: { src: '/home/mallory/.ssh/authorized_keys', dest: '/tmp/tend-hard', state: 'hard' } }],
    ['copy from there (remote_src)', { copy: { src: '/home/mallory/.ssh/authorized_keys', remote_src: true, dest: '/tmp/tend-copied' } }],
    ['openssl key', { openssl: { key: '/home/mallory/.ssh/id_tend', type: 'ed25519' } }],
  ];

  for (const [what, task, refusal = UNSAFE] of tasks) {
    it(`${what}: check and apply fail, naming the link; root's .ssh is untouched`, async () => {
      const playbook = playbookOf([task]);
      for (const mode of ['check', 'apply']) {
        const r = await tend([mode, playbook, ...args()]);
        assert.equal(r.code, 1, `${mode}: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout, refusal, `${mode}: ${r.stdout}`);
      }
      assert.equal(rootSsh(), pristine);
    });
  }

  it('tend still reaches the host as root afterwards (its key is whole)', async () => {
    const r = await tend(['run', ...args(), '--', 'cat', KEYS]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it("mallory's own link within her files, and root's /var/run, are followed", async () => {
    const playbook = playbookOf([
      { copy: { dest: '/home/mallory/mine/note', content: 'hello\n', owner: 'mallory' } },
      { copy: { dest: '/var/run/tend-e2e-note', content: 'run\n' } },
    ]);
    const r = await tend(['apply', playbook, ...args()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(onHost(HOST, 'cat /home/mallory/ok/note /run/tend-e2e-note; stat -c %U /home/mallory/ok/note'), 'hello\nrun\nmallory\n');
    const again = await tend(['check', playbook, ...args()]);
    assert.equal(again.code, 0, again.stdout);
  });
});
