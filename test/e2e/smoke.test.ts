// Containers as hosts, against a real Docker engine this test starts itself (its own
// socket, data and pid file; `--bridge=none`, so it touches no firewall) and stops
// afterwards — only that daemon. The images are the fleet's Debian bases, imported:
// tend-debian:12 (bookworm) for every test, tend-debian:13 (trixie) beside it for the seed.
//   tend smoke: converge, idempotence, check, verify; containers always removed
//   ansible_connection: docker, and exec with tend_exec, through tend apply
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleet, ROOT, tend, writeTemp } from './helpers.ts';

const IMAGE = 'tend-debian:12';
const IMAGE_13 = 'tend-debian:13';
/**
 * A verify command: an SMTP conversation with the container's own postfix that reads the
 * 220 greeting before it says EHLO (Postfix 3.9 and later refuse a client that talks
 * first), then wants STARTTLS and AUTH PLAIN LOGIN in the answer.
 */
const EHLO_VERIFY = [
  'exec 3<>/dev/tcp/127.0.0.1/25 || exit 1',
  'IFS= read -r -t 10 greeting <&3 || { echo "no greeting"; exit 1; }',
  'case $greeting in 220*) ;; *) echo "greeting: $greeting"; exit 1 ;; esac',
  'printf "EHLO smoke.example\\r\\n" >&3',
  'ehlo=; while IFS= read -r -t 10 line <&3; do line=${line%$(printf "\\r")}; ehlo="$ehlo$line|"; case $line in "250 "*) break ;; esac; done',
  'printf "QUIT\\r\\n" >&3',
  'case $ehlo in *"|250-STARTTLS|"*) ;; *) echo "no STARTTLS: $ehlo"; exit 1 ;; esac',
  'case $ehlo in *"250-AUTH PLAIN LOGIN|"*) ;; *) echo "no AUTH: $ehlo"; exit 1 ;; esac',
].join('; ');
const hasDocker = spawnSync('sh', ['-c', 'command -v dockerd && command -v docker'], { stdio: 'ignore' }).status === 0;

describe('containers as hosts, on a Docker engine of the test’s own', () => {
  // A test of its own that is skipped, with the reason: a skipped suite alone is counted
  // nowhere in the runner's totals, so the run would not show that nothing ran.
  if (!hasDocker) {
    it('tend smoke and container hosts on a real Docker engine', { skip: 'docker.io is not installed (.ci/run installs it)' }, () => {});
    return;
  }
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
    // Bounded: a daemon that does not come up fails the suite, saying so.
    let answering = false;
    for (let i = 0; i < 150 && !answering; i++) {
      answering = existsSync(socket) && spawnSync('docker', ['info'], { env: { ...process.env, ...env }, stdio: 'ignore' }).status === 0;
      if (!answering) await new Promise((r) => setTimeout(r, 200));
    }
    if (!answering) throw new Error(`dockerd did not answer on ${socket} within 30 s`);
    // As the README shows: `docker import` of each release's fleet base.
    for (const [image, release] of [[IMAGE, 'bookworm'], [IMAGE_13, 'trixie']] as const) {
      const base = fleet('base-dir', '--release', release).trim().split('\n').pop()!;
      execFileSync('sh', ['-c', `tar -C '${base}' -c . | docker import - ${image} >/dev/null`], { env: { ...process.env, ...env } });
    }
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

  /** `tend smoke ARGS` as a child whose stdout the test reads, and its exit code. */
  const smokeChild = (args: string[]) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/tend.js'), 'smoke', ...args], { env: { ...process.env, ...env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    return { child, exit, stderr: () => stderr };
  };
  /** Waits (bounded) until the smoke run's container exists. */
  const containerStarted = async () => {
    for (let i = 0; i < 300 && containers().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.notDeepEqual(containers(), [], 'the smoke container never appeared');
  };
  const slowPlaybook = () => writeTemp('slow.yml', '- hosts: all\n  tasks:\n    - command: { cmd: "sleep 3", creates: /nonexistent }\n');

  for (const [signal, status] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal} during the smoke run removes the containers; exit ${status}`, async () => {
      const run = smokeChild([slowPlaybook(), '--image', IMAGE, '--network', 'none']);
      await containerStarted();
      run.child.kill(signal);
      assert.equal(await run.exit, status, run.stderr());
      assert.deepEqual(containers(), []);
    });
  }

  it('a reader that goes away (| head -1): containers removed all the same, exit status the run\'s own (1: a failing playbook)', async () => {
    const playbook = writeTemp('fails.yml', '- hosts: all\n  tasks:\n    - shell: { cmd: "sleep 1; exit 3" }\n');
    const run = smokeChild([playbook, '--image', IMAGE, '--network', 'none']);
    // As head -1 does: read the first line, then close the pipe.
    await new Promise<void>((resolve) => run.child.stdout.once('data', () => resolve()));
    run.child.stdout.destroy();
    assert.equal(await run.exit, 1, run.stderr());
    assert.doesNotMatch(run.stderr(), /EPIPE|at /, 'no stack');
    assert.deepEqual(containers(), []);
  });

  it('an image that is an option (--image=--volume=/:/host) is bad input: exit 8 naming --image, no container', async () => {
    const r = await tend(['smoke', 'playbooks/postfix-basic.yml', '--image=--volume=/:/host', '--network', 'none'], env);
    assert.equal(r.code, 8, r.stdout + r.stderr);
    assert.match(r.stderr, /--image '--volume=\/:\/host': not an image reference/);
    assert.deepEqual(containers(), []);
  });

  it('a container the engine created but could not start is removed; exit 4 (the engine failed, not the input)', async () => {
    // An image without `sleep`: `docker run` creates the container, then fails to start it.
    execFileSync('sh', ['-c', `d=$(mktemp -d) && tar -C "$d" -c . | docker import - tend-empty:1 >/dev/null && rmdir "$d"`], { env: { ...process.env, ...env } });
    const r = await tend(['smoke', 'playbooks/postfix-basic.yml', '--image', 'tend-empty:1', '--network', 'none', '--junit', writeTemp('x.xml', '')], env);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stderr, /docker run tend-empty:1 failed: .*sleep/);
    assert.match(r.stdout, /converge\s+FAILED/);
    assert.deepEqual(containers(), []);
  });

  it('ansible_host: --privileged on a docker host is bad input at its place in the inventory; docker never sees it', async () => {
    const inventory = writeTemp('options.yml', 'all:\n  hosts:\n    box:\n      ansible_connection: docker\n      ansible_host: --privileged\n');
    const playbook = writeTemp('p.yml', '- hosts: all\n  tasks:\n    - copy: { dest: /tmp/x, content: "x\\n" }\n');
    for (const args of [['apply', playbook, '-i', inventory], ['run', '-i', inventory, '--', 'true']]) {
      const r = await tend(args, env);
      assert.equal(r.code, 8, r.stdout + r.stderr);
      assert.match(r.stderr, /options\.yml:3:\d+: host 'box': ansible_host '--privileged' is not a container name for docker/);
    }
  });

  it('tend smoke: the seed playbook on two Debian 12 containers and one Debian 13, side by side, passes every step; EHLO offers STARTTLS and AUTH after the greeting; JUnit says so; nothing is left', async () => {
    const smokeOf = async (image: string, hosts: number, verify: string) => {
      const junit = writeTemp('smoke.xml', '');
      const json = writeTemp('smoke.json', '');
      const r = await tend(
        ['smoke', 'playbooks/postfix-sasl-tls.yml', '--image', image, '--hosts', String(hosts), '--network', 'none', '--verify', verify, '--verify', `bash -c '${EHLO_VERIFY.replaceAll("'", "'\\''")}'`, '--junit', junit, '--json', json],
        env,
      );
      return { r, xml: readFileSync(junit, 'utf8'), report: JSON.parse(readFileSync(json, 'utf8')) as { image: string; hosts: { steps: { name: string; status: string }[] }[] } };
    };
    const [twelve, thirteen] = await Promise.all([
      smokeOf(IMAGE, 2, 'postconf -h smtpd_sasl_auth_enable smtpd_use_tls | paste -sd, | grep -qx yes,yes'),
      // Postfix 3.10: the TLS switch by its new name, and no deprecation warning at all.
      smokeOf(IMAGE_13, 1, 'postconf -h smtpd_sasl_auth_enable smtpd_tls_security_level | paste -sd, | grep -qx yes,may && ! postconf -n 2>&1 | grep -q warning'),
    ]);
    for (const [{ r, xml, report }, hosts, image] of [[twelve, 2, IMAGE], [thirteen, 1, IMAGE_13]] as const) {
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(report.image, image);
      assert.equal((xml.match(/<testcase /g) ?? []).length, 4 * hosts);
      assert.doesNotMatch(xml, /<failure|<skipped/);
      assert.deepEqual(report.hosts.map((h) => h.steps.map((s) => `${s.name}:${s.status}`).join(' ')), Array(hosts).fill('converge:passed idempotence:passed check:passed verify:passed'));
    }
    assert.deepEqual(containers(), []);
  });

  it('a playbook that changes something every run fails idempotence: exit 16, the task named', async () => {
    const playbook = writeTemp('notidem.yml', '- hosts: all\n  tasks:\n    - name: appends every time\n      shell: { cmd: "date >> /tmp/log" }\n');
    const r = await tend(['smoke', playbook, '--image', IMAGE, '--network', 'none'], env);
    assert.equal(r.code, 16, r.stdout + r.stderr);
    assert.match(r.stdout, /idempotence\s+FAILED .*changed again: \[1\] appends every time/);
    assert.match(r.stdout, /check\s+skipped/);
    assert.deepEqual(containers(), []);
  });

  it('a failing verify fails the host; --keep leaves the containers and says how to enter one', async () => {
    const playbook = writeTemp('verify.yml', '- hosts: all\n  tasks:\n    - copy: { dest: /etc/tend-smoke, content: "x\\n" }\n  verify:\n    - grep -q y /etc/tend-smoke\n');
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
    for (let i = 0; i < 300 && containers().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
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
      // copy src: streams the controller's file as the script's stdin, through docker exec.
      const src = writeTemp('upload.bin', '');
      writeFileSync(src, Buffer.concat([Buffer.from([0, 13, 255, 0]), randomBytes(2 * 1024 * 1024)]));
      const playbook = writeTemp(
        'box.yml',
        `- hosts: all\n  tasks:\n    - copy: { dest: "/etc/tend-{{ inventory_hostname }}", content: "{{ inventory_hostname }}\\n" }\n    - copy: { dest: "/srv/{{ inventory_hostname }}.bin", src: ${src} }\n`,
      );
      const r = await tend(['apply', playbook, '-i', inventory], env);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(docker('exec', 'tend-e2e-box', 'cat', '/etc/tend-box', '/etc/tend-viaexec'), 'box\nviaexec\n');
      const want = createHash('sha256').update(readFileSync(src)).digest('hex');
      assert.equal(docker('exec', 'tend-e2e-box', 'sha256sum', '/srv/box.bin', '/srv/viaexec.bin'), `${want}  /srv/box.bin\n${want}  /srv/viaexec.bin\n`);
      const again = await tend(['check', playbook, '-i', inventory, '--stats'], env);
      assert.equal(again.code, 0, again.stdout);
      assert.match(again.stdout, /box\s+round-trips=1/);
    } finally {
      docker('rm', '-f', 'tend-e2e-box');
    }
  });
});
