// `tend run` on fleet host tend-31 (reached under two inventory names, so one host gives
// two results): what a host prints is kept as head and tail in bounded memory, grouped by
// a digest of the whole; probes read whole fail past their cap; Ctrl-C and
// --task-timeout.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FLEET_KEY, fleetIp, KNOWN_HOSTS, onHost, ROOT, tend, writeTemp } from './helpers.ts';

const HOST = 31;

describe('tend run: output, interrupts and time limits', () => {
  let inventory: string | undefined;
  /** tend-31 as `one` and `two`: two results from one host. */
  const args = () => {
    inventory ??= writeTemp(
      'twice.yml',
      ['all:', '  vars:', '    ansible_user: root', `    ansible_ssh_private_key_file: ${FLEET_KEY}`, `    ansible_host: ${fleetIp(HOST)}`, '  hosts:', '    one:', '    two:', ''].join('\n'),
    );
    return ['-i', inventory, '--known-hosts', KNOWN_HOSTS];
  };

  it('400 MB of output: the controller stays small, shows head and tail and how many bytes it left out', async () => {
    const out = writeTemp('time.txt', '');
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        '/usr/bin/time',
        ['-f', '%M', '-o', out, process.execPath, join(ROOT, 'bin/tend.js'), 'run', ...args(), '--limit', 'one', '--', 'sh', '-c', 'head -c 400000000 /dev/zero | tr "\\0" a'],
        { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
    assert.equal(r.code, 0, r.stderr);
    const peakMb = Number(readFileSync(out, 'utf8').trim().split('\n').pop()) / 1024;
    assert.ok(peakMb < 300, `peak memory ${peakMb.toFixed(0)} MB for 400 MB of output`);
    const dropped = 400_000_000 - 2 * 64 * 1024;
    assert.match(r.stdout, new RegExp(`^ {4}… ${dropped} bytes not shown …$`, 'm'));
    const body = r.stdout.split('\n').filter((l) => /^ {4}a+$/.test(l));
    assert.deepEqual(
      body.map((l) => l.length - 4),
      [64 * 1024, 64 * 1024],
      'the first and last 64 KiB',
    );
  });

  it('hosts are grouped by a digest of the whole output: same 1 MB together, a difference in the middle apart', async () => {
    // Head and tail alike on both; only the bytes in between can differ.
    const same = 'head -c 500000 /dev/zero | tr "\\0" a; echo; head -c 500000 /dev/zero | tr "\\0" b';
    const r = await tend(['run', ...args(), '--', 'sh', '-c', same]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^one, two \(2 hosts, exit 0\):$/m);
    const differs = 'head -c 500000 /dev/zero | tr "\\0" a; od -An -N8 -tx8 /dev/urandom; head -c 500000 /dev/zero | tr "\\0" b';
    const d = await tend(['run', ...args(), '--', 'sh', '-c', differs]);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /^one \(1 host, exit 0\):$/m);
    assert.match(d.stdout, /^two \(1 host, exit 0\):$/m);
  });

  it('a probe script that prints more than it may is a clear failure, not a cut', async () => {
    const playbook = writeTemp('loud.yml', '- hosts: all\n  tasks:\n    - command: { cmd: "head -c 20000000 /dev/zero" }\n');
    const r = await tend(['apply', playbook, ...args(), '--limit', 'one']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /probe output exceeded 16777216 bytes/);
  });

  it('--task-timeout ends the command on the host: "timed out after 1 s", exit 1', async () => {
    const r = await tend(['run', ...args(), '--limit', 'one', '--task-timeout', '1', '--', 'sleep 20; echo never']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^one \(1 host, timed out after 1 s\):$/m);
    assert.doesNotMatch(r.stdout, /never/);
  });

  it('Ctrl-C: no new host is contacted, the running command finishes, exit 130', async () => {
    // The first host's command holds until the test releases it, after tend has said it
    // took the Ctrl-C: a fixed `sleep 2` let the command end first on a loaded machine
    // (the marker was seen late), and the second host then ran too.
    const marker = `/tmp/tend-run-started-${process.pid}`;
    const release = `/tmp/tend-run-release-${process.pid}`;
    onHost(HOST, `rm -f ${marker} ${release}`);
    const held = `touch ${marker}; i=0; while [ ! -e ${release} ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done; echo finished`;
    const child = spawn(process.execPath, [join(ROOT, 'bin/tend.js'), 'run', ...args(), '--forks', '1', '--', held], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const until = async (what: string, ok: () => boolean) => {
      const deadline = Date.now() + 60_000;
      while (!ok()) {
        assert.ok(Date.now() < deadline, `waited 60 s for ${what}; stdout: ${stdout} stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await until('the first command to start', () => onHost(HOST, `[ -e ${marker} ] && echo yes || true`).trim() === 'yes');
    child.kill('SIGINT');
    await until('tend to take the Ctrl-C', () => stderr.includes('no new host'));
    onHost(HOST, `touch ${release}`);
    assert.equal(await closed, 130, stdout);
    assert.match(stdout, /^one \(1 host, exit 0\):\n {4}finished$/m);
    assert.match(stdout, /^two \(1 host, interrupted\):\n {4}interrupted before this host was contacted$/m);
    onHost(HOST, `rm -f ${marker} ${release}`);
  });

  it('Ctrl-C twice interrupts the running command on the host', async () => {
    const marker = `/tmp/tend-run-twice-${process.pid}`;
    onHost(HOST, `rm -f ${marker}`);
    const child = spawn(process.execPath, [join(ROOT, 'bin/tend.js'), 'run', ...args(), '--limit', 'one', '--', `touch ${marker}; sleep 600; echo never`], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    for (let i = 0; i < 150 && onHost(HOST, `[ -e ${marker} ] && echo yes || true`).trim() !== 'yes'; i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    for (let i = 0; i < 100 && !stderr.includes('no new host'); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    assert.equal(await closed, 130, stderr);
    // The bracket keeps pgrep's own shell from matching.
    const left = () => onHost(HOST, 'pgrep -f "slee[p] 600" || true').trim();
    for (let i = 0; i < 50 && left() !== ''; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(left(), '', 'the command was stopped on the host');
    onHost(HOST, `rm -f ${marker}`);
  });
});
