// Podman, Debian's own package: `tend smoke --engine podman`, `ansible_connection:
// podman`, and `file src:` streamed through the exec transport (podman exec, and exec
// with a tend_exec prefix). Podman needs no daemon; the test gives it storage of its own
// (CONTAINERS_STORAGE_CONF: vfs under a temporary directory) and removes it afterwards,
// so it touches no other podman state on the machine. The image is the fleet's Debian
// base, imported.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleet, tend, writeTemp } from './helpers.ts';

const IMAGE = 'localhost/tend-debian:12';
const hasPodman = spawnSync('sh', ['-c', 'command -v podman'], { stdio: 'ignore' }).status === 0;

describe('podman: smoke, connection, file src: through exec', () => {
  // A test of its own that is skipped, with the reason: a skipped suite alone is counted
  // nowhere in the runner's totals, so the run would not show that nothing ran.
  if (!hasPodman) {
    it('tend smoke --engine podman and podman hosts', { skip: 'podman is not installed (Debian: apt-get install podman)' }, () => {});
    return;
  }
  const dir = mkdtempSync('/var/tmp/tend-podman-');
  const env = { CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'), CONTAINERS_CONF: join(dir, 'containers.conf') };
  const podman = (...args: string[]) => execFileSync('podman', args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  const containers = () => podman('ps', '-a', '--format', '{{.Names}}').trim().split('\n').filter(Boolean);

  before(() => {
    writeFileSync(env.CONTAINERS_STORAGE_CONF, `[storage]\ndriver = "vfs"\ngraphroot = "${dir}/root"\nrunroot = "${dir}/run"\n`);
    // Podman raises the containers' open-file and process limits by default, which a
    // machine that is itself a container may refuse (runc: "error setting rlimits").
    writeFileSync(env.CONTAINERS_CONF, '[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n');
    const base = fleet('base-dir').trim().split('\n').pop()!;
    execFileSync('sh', ['-c', `tar -C '${base}' -c . | podman import - ${IMAGE} >/dev/null`], { env: { ...process.env, ...env } });
  });

  after(() => {
    // Only this test's storage.
    spawnSync('podman', ['rm', '-af'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    spawnSync('sh', ['-c', `umount -R '${dir}/run' '${dir}/root' 2>/dev/null; true`]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('tend smoke --engine podman: every step passes, verify included; nothing is left', async () => {
    const playbook = writeTemp('podman-smoke.yml', '- hosts: all\n  tasks:\n    - copy: { dest: /etc/tend-podman, content: "podman\\n" }\n  verify:\n    - grep -qx podman /etc/tend-podman\n');
    const r = await tend(['smoke', playbook, '--engine', 'podman', '--image', IMAGE, '--network', 'none'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^podman: 1 container\(s\) from /m);
    for (const stepName of ['converge', 'idempotence', 'check', 'verify']) assert.match(r.stdout, new RegExp(`^  ${stepName}\\s+passed`, 'm'));
    assert.deepEqual(containers(), []);
  });

  it('file src: streamed through podman exec and through a tend_exec prefix, byte for byte; the second run changes nothing', async () => {
    podman('run', '-d', '--name', 'tend-e2e-podman', '--network', 'none', '--', IMAGE, 'sleep', 'infinity');
    try {
      const src = writeTemp('upload.bin', '');
      // NULs, a lone CR, bytes that are not UTF-8, and enough of it to take many chunks.
      const bytes = Buffer.concat([Buffer.from([0, 13, 255, 0, 10]), randomBytes(3 * 1024 * 1024)]);
      writeFileSync(src, bytes);
      const inventory = writeTemp(
        'podman.yml',
        'all:\n  hosts:\n    box:\n      ansible_connection: podman\n      ansible_host: tend-e2e-podman\n' +
          '    viaexec:\n      ansible_connection: exec\n      tend_exec: [podman, exec, -i, tend-e2e-podman]\n',
      );
      const playbook = writeTemp('upload.yml', `- hosts: all\n  tasks:\n    - copy: { dest: "/srv/{{ inventory_hostname }}.bin", src: ${src}, mode: "0600" }\n`);
      const first = await tend(['apply', playbook, '-i', inventory], env);
      assert.equal(first.code, 0, first.stdout + first.stderr);
      const want = createHash('sha256').update(readFileSync(src)).digest('hex');
      const got = podman('exec', 'tend-e2e-podman', 'sh', '-c', 'sha256sum /srv/box.bin /srv/viaexec.bin; stat -c %a /srv/box.bin');
      assert.equal(got, `${want}  /srv/box.bin\n${want}  /srv/viaexec.bin\n600\n`);
      const again = await tend(['apply', playbook, '-i', inventory, '--detailed-exitcode'], env);
      assert.equal(again.code, 0, again.stdout + again.stderr);
    } finally {
      podman('rm', '-f', '--', 'tend-e2e-podman');
    }
  });
});
