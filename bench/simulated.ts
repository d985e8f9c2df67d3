// npm run bench -- --simulated 1000,5000 [--reps 2]: the controller's cost per host,
// without a fleet's CPU in the way. One converged fleet host's probe output is captured;
// bench/sim-server.ts answers with it for every simulated host (one port, the login name
// is the host); `tend check` of the seed and the floor (bench/sim-floor.ts: connect,
// exec, read — nothing else) run against it side by side, alternating. Reported: wall
// time, controller CPU (user+system) per host, peak RSS, and when the last host finished
// against the median one (a starved host shows there).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeBatch } from '../src/engine/batch.ts';
import { loadInventory } from '../src/inventory/index.ts';
import { loadPlaybook, paramsForHost } from '../src/playbook/load.ts';
import { variableLookup } from '../src/playbook/template.ts';
import { modules } from '../tasks/index.ts';
import { simAddress, simName } from './sim-address.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const FLEET_DIR = process.env.TEND_FLEET_DIR ?? '/var/tmp/tend-fleet';
const PLAYBOOK = join(ROOT, 'playbooks/postfix-sasl-tls.yml');
const FORKS = 200;
const PORT = 52222;
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

interface Measured {
  code: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  stdout: string;
}

/** Runs a command under GNU time: wall, user+system CPU, peak RSS. */
function measured(cmd: string, args: string[]): Promise<Measured> {
  const timeFile = join(mkdtempSync(join(tmpdir(), 'tend-sim-')), 'time');
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, cmd, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', () => {});
    child.on('close', (code) => {
      const [wall, user, system, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      resolve({ code: code ?? 1, wallMs: wall! * 1000, cpuMs: (user! + system!) * 1000, peakRssMb: rssKb! / 1024, stdout });
    });
  });
}

/** Each probe snippet's output on a converged fleet host, in the order a batch frames them. */
function capture(dir: string): { file: string; script: string; hostname: string } {
  log('capturing the probe output of a converged fleet host (fleet host 1)');
  execFileSync('bash', [join(ROOT, 'test/fleet/fleet.sh'), 'up', '1'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const inventoryFile = join(FLEET_DIR, 'inventory.yml');
  execFileSync(process.execPath, [join(ROOT, 'bin/tend.js'), 'apply', PLAYBOOK, '-i', inventoryFile, '--known-hosts', join(FLEET_DIR, 'known_hosts')], { stdio: 'ignore' });
  const host = [...loadInventory(inventoryFile).hosts.values()][0]!;
  const playbook = loadPlaybook(PLAYBOOK, modules);
  const snippets = playbook.plays.flatMap((play) => {
    const lookup = variableLookup([play.vars, host.vars]);
    return play.tasks.flatMap((t) => {
      const probe = t.module.probe(paramsForHost(t, lookup));
      return Array.isArray(probe) ? probe : [probe];
    });
  });
  // Every snippet framed on its own, so each keeps its own exit code and stderr.
  const batch = probeBatch(snippets);
  const out = execFileSync('bash', [join(ROOT, 'test/fleet/fleet.sh'), 'exec', '1', 'sh', '-c', batch.script.text]);
  const probes = batch.parse(out).map((p) => ({ stdout: p.stdout, code: p.code, stderr: p.stderr }));
  const file = join(dir, 'capture.json');
  writeFileSync(file, JSON.stringify({ probes }));
  // The floor sends the script tend sends: a batch of the same probes (its token differs per run, as tend's does).
  const script = join(dir, 'probe.sh');
  writeFileSync(script, probeBatch(playbook.plays.flatMap((play) => play.tasks.map((t) => t.module.probe(paramsForHost(t, variableLookup([play.vars, host.vars])))))).script.text);
  execFileSync('bash', [join(ROOT, 'test/fleet/fleet.sh'), 'down'], { stdio: 'ignore' });
  return { file, script, hostname: `${host.name}.localdomain` };
}

function startServer(dir: string, captureFile: string, count: number): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/sim-server.ts'), String(PORT), join(dir, 'host_key'), captureFile, String(count)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    server.stdout!.once('data', () => resolve(server));
    server.once('exit', (code) => reject(new Error(`sim-server exited ${code}`)));
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export async function runSimulated(sizes: number[], reps: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tend-sim-'));
  const { file, script, hostname } = capture(dir);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  const server = await startServer(dir, file, Math.max(...sizes));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
  // One host key for every simulated host: one wildcard line, as a fleet with a CA would have one.
  writeFileSync(join(dir, 'known_hosts'), `[127.1.*.*]:${PORT} ${readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
  const rows: string[] = [];
  const results: Record<string, unknown> = {};
  try {
    for (const n of sizes) {
      const names = Array.from({ length: n }, (_, i) => simName(i));
      const inventory = join(dir, `sim-${n}.yml`);
      // Every simulated host renders the captured host's name, so all of them are converged.
      writeFileSync(
        inventory,
        [
          'all:',
          '  vars:',
          `    ansible_port: ${PORT}`,
          `    ansible_user: "{{ inventory_hostname }}"`,
          `    ansible_ssh_private_key_file: ${join(dir, 'client_key')}`,
          `    myhostname: ${hostname}`,
          '  hosts:',
          ...names.map((h, i) => `    ${h}: { ansible_host: ${simAddress(i)} }`),
          '',
        ].join('\n'),
      );
      const tendRuns: (Measured & { lastHostMs: number; medianHostMs: number })[] = [];
      const floorRuns: Measured[] = [];
      for (let rep = 1; rep <= reps; rep++) {
        log(`simulated ${n} hosts, repetition ${rep}/${reps}: floor`);
        floorRuns.push(await measured(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/sim-floor.ts'), String(PORT), join(dir, 'client_key'), script, String(FORKS), String(n)]));
        log(`simulated ${n} hosts, repetition ${rep}/${reps}: tend check`);
        const json = join(dir, `report-${n}-${rep}.json`);
        const run = await measured(process.execPath, [
          join(ROOT, 'bin/tend.js'), 'check', PLAYBOOK, '-i', inventory, '--known-hosts', join(dir, 'known_hosts'), '--forks', String(FORKS), '--json', json,
        ]);
        const report = JSON.parse(readFileSync(json, 'utf8')) as { hosts: { status: string; stats: { durationMs: number } }[] };
        const done = report.hosts.map((h) => h.stats.durationMs);
        tendRuns.push({ ...run, lastHostMs: Math.max(...done), medianHostMs: median(done) });
      }
      const ok = (r: Measured) => r.code === 0;
      const summary = (runs: Measured[]) => ({
        runs: runs.length,
        exitCodes: runs.map((r) => r.code),
        // A run where a side failed is shown, never averaged in.
        wallMs: Math.round(median(runs.filter(ok).map((r) => r.wallMs))),
        cpuMsPerHost: +(median(runs.filter(ok).map((r) => r.cpuMs)) / n).toFixed(2),
        peakRssMb: Math.round(Math.max(...runs.map((r) => r.peakRssMb))),
      });
      const t = summary(tendRuns);
      const f = summary(floorRuns);
      const good = tendRuns.filter(ok);
      const row = {
        tend: { ...t, lastHostMs: Math.round(median(good.map((r) => r.lastHostMs))), medianHostMs: Math.round(median(good.map((r) => r.medianHostMs))) },
        floor: f,
        ratios: { wall: +(t.wallMs / f.wallMs).toFixed(2), cpuPerHost: +(t.cpuMsPerHost / f.cpuMsPerHost).toFixed(2) },
      };
      results[n] = row;
      const failed = (runs: Measured[]) => (runs.every(ok) ? '' : ` (exit ${runs.map((r) => r.code).join('/')}: failed runs left out)`);
      rows.push(
        `| ${n} | tend check | ${(t.wallMs / 1000).toFixed(1)} s${failed(tendRuns)} | ${t.cpuMsPerHost} ms | ${t.peakRssMb} MB | ${(row.tend.medianHostMs / 1000).toFixed(1)} s / ${(row.tend.lastHostMs / 1000).toFixed(1)} s |`,
        `| ${n} | floor (connect, exec, read) | ${(f.wallMs / 1000).toFixed(1)} s${failed(floorRuns)} | ${f.cpuMsPerHost} ms | ${f.peakRssMb} MB | – |`,
        `| ${n} | tend / floor | ${row.ratios.wall}× | ${row.ratios.cpuPerHost}× | | |`,
      );
    }
  } finally {
    server.kill('SIGTERM');
  }
  // What one more host costs: the difference between the largest and smallest run.
  const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
  let marginal = '';
  if (large > small) {
    const a = (results[small] as { tend: { peakRssMb: number; cpuMsPerHost: number } }).tend;
    const b = (results[large] as { tend: { peakRssMb: number; cpuMsPerHost: number } }).tend;
    const rssKb = ((b.peakRssMb - a.peakRssMb) * 1024) / (large - small);
    const cpuMs = (b.cpuMsPerHost * large - a.cpuMsPerHost * small) / (large - small);
    results.marginalPerHost = { rssKb: +rssKb.toFixed(1), cpuMs: +cpuMs.toFixed(2) };
    marginal = `Each host beyond ${small} (from ${small} to ${large}): **${cpuMs.toFixed(2)} ms** of controller CPU and **${rssKb.toFixed(0)} kB** of RSS.`;
  }
  return [
    `Simulated fleet (bench/sim-server.ts, one process answering with a converged host's captured probe output), seed playbook, \`tend check --forks ${FORKS}\`, ${reps} alternating repetition(s), medians.`,
    '',
    '| hosts | run | wall | controller CPU per host | peak RSS | median / last host done |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    marginal,
    '',
    '```json',
    JSON.stringify(results, null, 1),
    '```',
    '',
  ].join('\n');
}
