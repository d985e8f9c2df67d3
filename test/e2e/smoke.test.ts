// Containers as hosts, against a real Docker engine this test starts itself (its own
// socket, data and pid file; `--bridge=none`, so it touches no firewall) and stops
// afterwards — only that daemon. The image is the fleet's Debian base, imported.
//   tend smoke: converge, idempotence, check, verify; containers always removed
//   ansible_connection: docker, and exec with tend_exec, through tend apply
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleet, ROOT, tend, writeTemp } from './helpers.ts';

const IMAGE = 'tend-debian:12';
const hasDocker = spawnSync('sh', ['-c', 'command -v dockerd && command -v docker'], { stdio: 'ignore' }).status === 0;

describe('containers as hosts, on a Docker engine of the test’s own', { skip: hasDocker ? false : 'docker.io is not installed (.ci/run installs it)' }, () => {
  const dir = mkdtempSync('/var/tmp/tend-dockerd-');
  const socket = join(dir, 'docker.sock');
  const env = { DOCKER_HOST: `unix://${socket}` };
  const docker = (...args: string[]) => execFileSync('docker', args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  let daemon: ReturnType<typeof spawn> | undefined;

  before(async () => {
    mkdirSync(join(dir, 'exec'));
    daemon = spawn(
      'dockerd',
      ['--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'docker.pid'), '-H', `unix://${socket}`, '--iptables=false', '--bridge=none'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 50; i++) {
      if (spawnSync('docker', ['info'], { env: { ...process.env, ...env }, stdio: 'ignore' }).status === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const base = fleet('base-dir').trim().split('\n').pop()!;
    execFileSync('sh', ['-c', `tar -C '${base}' -c . | docker import - ${IMAGE} >/dev/null`], { env: { ...process.env, ...env } });
  });

  after(() => {
    // Only the daemon this test started, and what it made.
    spawnSync('sh', ['-c', 'docker rm -f $(docker ps -aq) >/dev/null 2>&1; true'], { env: { ...process.env, ...env } });
    daemon?.kill('SIGTERM');
    for (let i = 0; i < 50 && existsSync(join(dir, 'docker.pid')); i++) spawnSync('sleep', ['0.2']);
    spawnSync('sh', ['-c', `umount -R '${dir}/data' 2>/dev/null; true`]);
    rmSync(dir, { recursive: true, force: true });
  });

  const containers = () => docker('ps', '-a', '--format', '{{.Names}}').trim().split('\n').filter(Boolean);

  it('tend smoke: the seed playbook on two containers passes every step; JUnit says so; nothing is left', async () => {
    const junit = writeTemp('smoke.xml', '');
    const json = writeTemp('smoke.json', '');
    const r = await tend(
      ['smoke', 'playbooks/postfix-sasl-tls.yml', '--image', IMAGE, '--hosts', '2', '--network', 'none', '--verify', 'postconf -h smtpd_sasl_auth_enable | grep -qx yes', '--junit', junit, '--json', json],
      env,
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const xml = readFileSync(junit, 'utf8');
    assert.equal((xml.match(/<testcase /g) ?? []).length, 8);
    assert.doesNotMatch(xml, /<failure|<skipped/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { hosts: { steps: { name: string; status: string }[] }[] };
    assert.deepEqual(report.hosts.map((h) => h.steps.map((s) => `${s.name}:${s.status}`).join(' ')), Array(2).fill('converge:passed idempotence:passed check:passed verify:passed'));
    assert.deepEqual(containers(), []);
  });

  it('a playbook that changes something every run fails idempotence: exit 16, the task named', async () => {
    const playbook = writeTemp('notidem.yml', '- hosts: all\n  tasks:\n    - name: appends every time\n      command: { cmd: "date >> /tmp/log" }\n');
    const r = await tend(['smoke', playbook, '--image', IMAGE, '--network', 'none'], env);
    assert.equal(r.code, 16, r.stdout + r.stderr);
    assert.match(r.stdout, /idempotence\s+FAILED .*changed again: \[1\] appends every time/);
    assert.match(r.stdout, /check\s+skipped/);
    assert.deepEqual(containers(), []);
  });

  it('a failing verify fails the host; --keep leaves the containers and says how to enter one', async () => {
    const playbook = writeTemp('verify.yml', '- hosts: all\n  tasks:\n    - file: { path: /etc/tend-smoke, content: "x\\n" }\n  verify:\n    - grep -q y /etc/tend-smoke\n');
    const r = await tend(['smoke', playbook, '--image', IMAGE, '--network', 'none', '--keep'], env);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /verify\s+FAILED .*'grep -q y \/etc\/tend-smoke' exited 1/);
    const kept = /kept: (\S+) — enter one with: docker exec -it \S+ bash/.exec(r.stdout);
    assert.ok(kept, r.stdout);
    assert.deepEqual(containers(), [kept[1]!.replace(/,$/, '')]);
    docker('rm', '-f', kept[1]!);
  });

  it('Ctrl-C during the smoke run still removes the containers; exit 130', async () => {
    const playbook = writeTemp('slow.yml', '- hosts: all\n  tasks:\n    - command: { cmd: "sleep 3", creates: /nonexistent }\n');
    const child = spawn(process.execPath, [join(ROOT, 'bin/tend.js'), 'smoke', playbook, '--image', IMAGE, '--network', 'none'], { env: { ...process.env, ...env, NO_COLOR: '1' } });
    for (let i = 0; i < 100 && containers().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 130);
    assert.deepEqual(containers(), []);
  });

  it('the module suite over ansible_connection: docker, applied twice', async () => {
    docker('run', '-d', '--name', 'tend-e2e-modules', '--network', 'none', IMAGE, 'sleep', 'infinity');
    try {
      docker('exec', 'tend-e2e-modules', 'sh', '-c', 'mkdir -p /srv/unwanted/x && echo "old motd" > /etc/motd && DEBIAN_FRONTEND=noninteractive apt-get install -y -q bsd-mailx cron >/dev/null 2>&1 && service cron start >/dev/null');
      const inventory = writeTemp('modules-inv.yml', 'all:\n  hosts:\n    box:\n      ansible_connection: docker\n      ansible_host: tend-e2e-modules\n');
      const first = await tend(['apply', 'test/fixtures/playbooks/modules.yml', '-i', inventory], env);
      assert.equal(first.code, 0, first.stdout + first.stderr);
      assert.equal(first.stdout.split('\n').filter((l) => /: changed: \[\d+\]/.test(l)).length, 12, first.stdout);
      const second = await tend(['apply', 'test/fixtures/playbooks/modules.yml', '-i', inventory, '--detailed-exitcode'], env);
      assert.equal(second.code, 0, second.stdout);
    } finally {
      docker('rm', '-f', 'tend-e2e-modules');
    }
  });

  it('ansible_connection: docker, and exec with tend_exec, through tend apply', async () => {
    docker('run', '-d', '--name', 'tend-e2e-box', '--network', 'none', IMAGE, 'sleep', 'infinity');
    try {
      const inventory = writeTemp(
        'containers.yml',
        'all:\n  hosts:\n    box:\n      ansible_connection: docker\n      ansible_host: tend-e2e-box\n' +
          '    viaexec:\n      ansible_connection: exec\n      tend_exec: [docker, exec, -i, tend-e2e-box]\n',
      );
      const playbook = writeTemp('box.yml', '- hosts: all\n  tasks:\n    - file: { path: "/etc/tend-{{ inventory_hostname }}", content: "{{ inventory_hostname }}\\n" }\n');
      const r = await tend(['apply', playbook, '-i', inventory], env);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(docker('exec', 'tend-e2e-box', 'cat', '/etc/tend-box', '/etc/tend-viaexec'), 'box\nviaexec\n');
      const again = await tend(['check', playbook, '-i', inventory, '--stats'], env);
      assert.equal(again.code, 0, again.stdout);
      assert.match(again.stdout, /box\s+round-trips=1/);
    } finally {
      docker('rm', '-f', 'tend-e2e-box');
    }
  });
});
