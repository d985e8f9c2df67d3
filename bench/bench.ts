// npm run bench: tend against the floor and against Ansible, measured side by side in
// one run on the container fleet. Not a test: it times things, and these machines are
// noisy, so it reports medians with min–max over alternating repetitions, and ratios.
//
//   npx tsx bench/bench.ts [--hosts 10] [--reps 5] [--fresh 3,10] [--scale 50,100] [--light 250] [--no-ansible]
//   npx tsx bench/bench.ts --simulated 1000,5000 [--reps 2]   (only the simulated fleet)
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { probeBatch } from '../src/engine/batch.ts';
import { loadInventory } from '../src/inventory/index.ts';
import { loadPlaybook, paramsForHost } from '../src/playbook/load.ts';
import { variableLookup } from '../src/playbook/template.ts';
import { modules } from '../tasks/index.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const FLEET_DIR = process.env.TEND_FLEET_DIR ?? '/var/tmp/tend-fleet';
const PLAYBOOK = join(ROOT, 'playbooks/postfix-sasl-tls.yml');
const ANSIBLE_PLAYBOOK = join(ROOT, 'bench/ansible/postfix-sasl-tls.yml');

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '10' },
    reps: { type: 'string', default: '5' },
    fresh: { type: 'string', default: '3,10' },
    scale: { type: 'string', default: '50,100' },
    'no-ansible': { type: 'boolean', default: false },
    simulated: { type: 'string' },
    light: { type: 'string', default: '250' },
  },
});
const N = Number(values.hosts);
const REPS = Number(values.reps);
const FRESH = values.fresh ? values.fresh.split(',').map(Number) : [];
const SCALE = values.scale ? values.scale.split(',').map(Number) : [];
const WITH_ANSIBLE = !values['no-ansible'];
const LIGHT = values.light ? values.light.split(',').map(Number) : [];
const LIGHT_PLAYBOOK = join(ROOT, 'bench/light.yml');

const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

function fleet(...args: string[]): void {
  execFileSync('bash', [join(ROOT, 'test/fleet/fleet.sh'), ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: process.env });
}

function fleetWithLayer(layer: string, ...args: string[]): void {
  execFileSync('bash', [join(ROOT, 'test/fleet/fleet.sh'), ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, TEND_FLEET_LAYER: layer } });
}

interface Timed {
  ms: number;
  code: number;
  stdout: string;
  maxRssKb?: number;
}

/** Runs a command to completion and times it (wall clock); with GNU time for peak RSS. */
function timed(cmd: string, args: string[], env: Record<string, string> = {}, measureRss = false): Promise<Timed> {
  const rssFile = join(mkdtempSync(join(tmpdir(), 'tend-bench-')), 'rss');
  const [file, argv] = measureRss ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(file as string, argv as string[], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', () => {});
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const maxRssKb = measureRss ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : undefined;
      resolve({ ms, code: code ?? 1, stdout, ...(maxRssKb !== undefined ? { maxRssKb } : {}) });
    });
  });
}

const inventoryFile = () => join(FLEET_DIR, 'inventory.yml');
const tendArgs = (mode: 'apply' | 'check', extra: string[] = []) => [
  join(ROOT, 'bin/tend.js'),
  mode,
  PLAYBOOK,
  '-i',
  inventoryFile(),
  '--known-hosts',
  join(FLEET_DIR, 'known_hosts'),
  ...extra,
];
const tend = (mode: 'apply' | 'check', extra: string[] = [], rss = false) => timed(process.execPath, tendArgs(mode, extra), {}, rss);

/** An Ansible inventory of the fleet (INI), with the fleet's key and known_hosts. */
function ansibleInventory(): string {
  const inventory = loadInventory(inventoryFile());
  const lines = ['[all]'];
  for (const h of inventory.hosts.values()) {
    lines.push(
      `${h.name} ansible_host=${h.address} ansible_user=root ansible_ssh_private_key_file=${h.privateKey} ansible_python_interpreter=/usr/bin/python3 ` +
        `ansible_ssh_common_args="-o UserKnownHostsFile=${join(FLEET_DIR, 'known_hosts')} -o StrictHostKeyChecking=yes"`,
    );
  }
  const file = join(mkdtempSync(join(tmpdir(), 'tend-bench-')), 'hosts');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const ANSIBLE_ENV = { ANSIBLE_PIPELINING: '1', ANSIBLE_FORKS: '10', ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' };
const ansible = (inventory: string, check: boolean) =>
  timed('ansible-playbook', ['-i', inventory, ANSIBLE_PLAYBOOK, ...(check ? ['--check', '--diff'] : [])], ANSIBLE_ENV);

/** The floor: per host, one `ssh` running one script with every probe of the seed playbook. */
function floorScripts(): { address: string; key: string; script: string }[] {
  const playbook = loadPlaybook(PLAYBOOK, modules);
  const inventory = loadInventory(inventoryFile());
  const dir = mkdtempSync(join(tmpdir(), 'tend-floor-'));
  return [...inventory.hosts.values()].map((host) => {
    const probes = playbook.plays.flatMap((play) => {
      const lookup = variableLookup([play.vars, host.vars]);
      return play.tasks.map((t) => t.module.probe(paramsForHost(t, lookup)));
    });
    const script = join(dir, `${host.name}.sh`);
    writeFileSync(script, probeBatch(probes).script.text);
    return { address: host.address, key: host.privateKey!, script };
  });
}

/** One script per host over plain ssh, all at once; timed as one run, its worst exit code. */
async function overSsh(runs: { address: string; key: string; command: string; script: Buffer }[]): Promise<Timed> {
  const started = process.hrtime.bigint();
  const codes = await Promise.all(
    runs.map(
      (r) =>
        new Promise<number>((resolve) => {
          const args = ['-q', '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${join(FLEET_DIR, 'known_hosts')}`, '-i', r.key, `root@${r.address}`, r.command];
          const child = spawn('ssh', args, { stdio: ['pipe', 'ignore', 'ignore'] });
          child.stdin.end(r.script);
          child.on('close', (code) => resolve(code ?? 1));
        }),
    ),
  );
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, code: Math.max(...codes), stdout: '' };
}

function floor(scripts: ReturnType<typeof floorScripts>): Promise<Timed> {
  return overSsh(scripts.map((s) => ({ address: s.address, key: s.key, command: 'sh -s', script: readFileSync(s.script) })));
}

/** The fresh-converge floor: bench/floor-fresh.sh on every host at once, one ssh each. */
function freshFloor(): Promise<Timed> {
  const script = readFileSync(join(ROOT, 'bench/floor-fresh.sh'));
  const hosts = [...loadInventory(inventoryFile()).hosts.values()];
  return overSsh(hosts.map((h) => ({ address: h.address, key: h.privateKey!, command: `HOSTNAME_FQDN=${h.name}.localdomain sh -s`, script })));
}

/** What Ansible needs on a host and cannot install itself: python3, and cryptography for community.crypto. */
function installAnsibleNeeds(n: number): void {
  const install = "DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 python3-cryptography >/dev/null 2>&1";
  execFileSync('bash', ['-c', `for i in $(seq 1 ${n}); do bash test/fleet/fleet.sh exec $i sh -c '${install}' & done; wait`], { cwd: ROOT });
}

interface Series {
  name: string;
  ms: number[];
  /** Every run's exit code: a run that failed is recorded and shown, never averaged in. */
  codes: number[];
}

function series(name: string): Series {
  return { name, ms: [], codes: [] };
}

function record(s: Series, run: Timed): Timed {
  s.ms.push(run.ms);
  s.codes.push(run.code);
  return run;
}

function summary(s: Series) {
  const good = s.ms.filter((_, i) => s.codes[i] === 0);
  const sorted = [...good].sort((a, b) => a - b);
  const median = sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return {
    name: s.name,
    runs: s.ms.length,
    exitCodes: s.codes,
    failedRuns: s.ms.length - good.length,
    medianMs: Math.round(median),
    minMs: Math.round(sorted[0] ?? NaN),
    maxMs: Math.round(sorted[sorted.length - 1] ?? NaN),
  };
}

function changedHosts(stdout: string): number {
  return [...stdout.matchAll(/^\S+ +ok=\d+ +(?:changed|would-change)=(\d+)/gm)].filter((m) => m[1] !== '0').length;
}

function roundTrips(json: string): number[] {
  return (JSON.parse(json) as { hosts: { stats: { roundTrips: number } }[] }).hosts.map((h) => h.stats.roundTrips);
}

async function main() {
  if (values.simulated !== undefined) {
    // The simulated fleet only: the controller's cost per host (bench/simulated.ts).
    const { runSimulated } = await import('./simulated.ts');
    const table = await runSimulated(values.simulated.split(',').map(Number), Number(values.reps));
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results', `${stamp}-simulated.md`), table);
    process.stdout.write(table);
    return;
  }
  const results: Record<string, unknown> = { date: new Date().toISOString(), hosts: N, reps: REPS, machine: `${execFileSync('nproc').toString().trim()} cores` };

  // 1. Converged fleet: tend check, tend apply, the floor, Ansible --check --diff.
  log(`converged fleet of ${N}: bringing up and converging (untimed)`);
  fleet('down');
  fleet('up', String(N));
  const inventory = ansibleInventory();
  const first = await tend('apply');
  if (first.code !== 0) throw new Error(`converging with tend failed:\n${first.stdout}`);
  if (WITH_ANSIBLE) {
    // Converge with Ansible too, so that its check run is a converged one as well.
    installAnsibleNeeds(N);
    const a = await ansible(inventory, false);
    if (a.code !== 0) throw new Error(`converging with Ansible failed:\n${a.stdout.slice(-3000)}`);
  }
  const settle = await tend('apply');
  if (changedHosts(settle.stdout) !== 0) log(`warning: tend apply after Ansible changed ${changedHosts(settle.stdout)} host(s)`);

  const scripts = floorScripts();
  const runs: Record<string, Series> = {
    tendCheck: series('tend check'),
    tendApply: series('tend apply (converged)'),
    floor: series('floor: one ssh + one probe script per host'),
    ...(WITH_ANSIBLE ? { ansibleCheck: series('ansible-playbook --check --diff (pipelining)') } : {}),
  };
  let applyChanged = 0;
  let checkExit = 0;
  for (let rep = 1; rep <= REPS; rep++) {
    log(`converged, repetition ${rep}/${REPS}`);
    const c = record(runs.tendCheck!, await tend('check'));
    checkExit = Math.max(checkExit, c.code);
    const a = record(runs.tendApply!, await tend('apply'));
    applyChanged = Math.max(applyChanged, changedHosts(a.stdout));
    record(runs.floor!, await floor(scripts));
    if (WITH_ANSIBLE) record(runs.ansibleCheck!, await ansible(inventory, true));
  }
  const checkJson = await tend('check', ['--json', '-']);
  const applyJson = await tend('apply', ['--json', '-']);
  const converged = Object.fromEntries(Object.entries(runs).map(([k, s]) => [k, summary(s)]));
  const med = (k: string) => (converged[k] as { medianMs: number }).medianMs;
  results.converged = {
    series: converged,
    tendCheckExit: checkExit,
    tendApplyHostsChanged: applyChanged,
    roundTripsPerHost: { check: Math.max(...roundTrips(checkJson.stdout)), apply: Math.max(...roundTrips(applyJson.stdout)) },
    ratios: {
      tendCheckOverFloor: +(med('tendCheck') / med('floor')).toFixed(2),
      tendApplyOverFloor: +(med('tendApply') / med('floor')).toFixed(2),
      ...(WITH_ANSIBLE ? { ansibleOverTendCheck: +(med('ansibleCheck') / med('tendCheck')).toFixed(1), ansibleOverTendApply: +(med('ansibleCheck') / med('tendApply')).toFixed(1) } : {}),
    },
  };
  // Keep one converged host as a layer for the scale runs.
  fleet('snapshot', '1', 'bench-converged');

  // 2. Fresh converge: new hosts each time, with what Ansible needs pre-installed for both tools.
  const fresh: Record<string, unknown> = {};
  for (const n of FRESH) {
    const row: Record<string, number> = {};
    for (const tool of ['floor', 'tend', ...(WITH_ANSIBLE ? ['ansible'] : [])]) {
      log(`fresh converge of ${n} hosts with ${tool}`);
      fleet('down');
      fleet('up', String(n));
      installAnsibleNeeds(n);
      const r = tool === 'tend' ? await tend('apply') : tool === 'floor' ? await freshFloor() : await ansible(ansibleInventory(), false);
      if (r.code !== 0) log(`warning: ${tool} fresh converge exited ${r.code}`);
      row[`${tool}Ms`] = Math.round(r.ms);
      row[`${tool}Exit`] = r.code;
    }
    if (row.ansibleMs && row.ansibleExit === 0 && row.tendExit === 0) row.ansibleOverTend = +(row.ansibleMs / row.tendMs!).toFixed(1);
    if (row.floorExit === 0 && row.tendExit === 0) row.tendOverFloor = +(row.tendMs! / row.floorMs!).toFixed(2);
    fresh[`${n}`] = row;
  }
  results.freshConverge = fresh;

  // 3. Scale: tend check alone on 50 and 100 hosts cloned from one converged host.
  const scale: Record<string, unknown> = {};
  for (const n of SCALE) {
    log(`scale: ${n} hosts from the converged layer`);
    fleet('down');
    fleetWithLayer('bench-converged', 'up', String(n));
    // Each clone's hostname-derived settings differ from host 1's: converge them once.
    await tend('apply', ['--forks', '50']);
    const checks = series(`tend check, ${n} hosts`);
    const rss: number[] = [];
    for (let rep = 1; rep <= Math.min(REPS, 3); rep++) rss.push(record(checks, await tend('check', ['--forks', String(Math.max(20, n))], true)).maxRssKb ?? 0);
    scale[`${n}`] = { ...summary(checks), peakRssMb: Math.round(Math.max(...rss) / 1024) };
  }
  results.scale = scale;

  // 4. Many real hosts, a light playbook: controller cost and fairness at fleet size.
  const light: Record<string, unknown> = {};
  for (const n of LIGHT) {
    log(`light playbook on ${n} fresh fleet hosts`);
    fleet('down');
    fleet('up', String(n));
    const args = (mode: 'apply' | 'check') => [join(ROOT, 'bin/tend.js'), mode, LIGHT_PLAYBOOK, '-i', inventoryFile(), '--known-hosts', join(FLEET_DIR, 'known_hosts'), '--forks', '50'];
    const converge = series(`tend apply, light, ${n} fresh hosts`);
    const first = record(converge, await timed(process.execPath, args('apply'), {}, true));
    const checks = series(`tend check, light, ${n} hosts`);
    const rss: number[] = [];
    for (let rep = 1; rep <= Math.min(REPS, 3); rep++) rss.push(record(checks, await timed(process.execPath, [...args('check'), '--json', '-'], {}, true)).maxRssKb ?? 0);
    const report = JSON.parse((await timed(process.execPath, [...args('check'), '--json', '-'])).stdout) as { hosts: { stats: { roundTrips: number; durationMs: number } }[] };
    const hostMs = report.hosts.map((h) => h.stats.durationMs).sort((a, b) => a - b);
    light[`${n}`] = {
      apply: { ...summary(converge), peakRssMb: Math.round((first.maxRssKb ?? 0) / 1024) },
      check: { ...summary(checks), peakRssMb: Math.round(Math.max(...rss) / 1024) },
      roundTripsPerHost: Math.max(...report.hosts.map((h) => h.stats.roundTrips)),
      hostMs: { median: hostMs[Math.floor(hostMs.length / 2)], slowest: hostMs[hostMs.length - 1] },
    };
  }
  results.light = light;
  fleet('down');

  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  const out = join(ROOT, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  const table = markdown(results);
  writeFileSync(join(out, `${stamp}.md`), table);
  writeFileSync(join(out, 'latest.md'), table);
  process.stdout.write(table);
}

function markdown(r: Record<string, unknown>): string {
  const c = r.converged as { series: Record<string, ReturnType<typeof summary>>; ratios: Record<string, number>; roundTripsPerHost: Record<string, number>; tendApplyHostsChanged: number };
  const lines = [
    `Seed playbook, ${r.hosts} converged fleet hosts, ${r.reps} alternating repetitions, ${r.machine} (${r.date}).`,
    '',
    '| run | median | min–max | exit codes |',
    '|---|---|---|---|',
    ...Object.values(c.series).map(
      (s) =>
        `| ${s.name} | ${(s.medianMs / 1000).toFixed(2)} s | ${(s.minMs / 1000).toFixed(2)}–${(s.maxMs / 1000).toFixed(2)} s |` +
        (s.failedRuns > 0 ? ` **${s.failedRuns} of ${s.runs} runs failed (exit ${s.exitCodes.join(', ')}): left out** |` : ` all ${s.runs} exited 0 |`),
    ),
    '',
    `Ratios: tend check / floor = **${c.ratios.tendCheckOverFloor}**, tend apply / floor = **${c.ratios.tendApplyOverFloor}**` +
      (c.ratios.ansibleOverTendCheck !== undefined ? `, Ansible / tend check = **${c.ratios.ansibleOverTendCheck}×**, Ansible / tend apply = **${c.ratios.ansibleOverTendApply}×**` : '') +
      `. Round trips per converged host: check ${c.roundTripsPerHost.check}, apply ${c.roundTripsPerHost.apply}; hosts changed by a converged apply: ${c.tendApplyHostsChanged}.`,
  ];
  const fresh = r.freshConverge as Record<string, Record<string, number>>;
  if (Object.keys(fresh).length > 0) {
    lines.push('', '| fresh converge | floor (one script) | tend | tend / floor | Ansible | Ansible / tend |', '|---|---|---|---|---|---|');
    for (const [n, row] of Object.entries(fresh)) {
      const mark = (tool: string) => (row[`${tool}Exit`] ? ` (**exit ${row[`${tool}Exit`]}**)` : '');
      lines.push(
        `| ${n} hosts | ${(row.floorMs! / 1000).toFixed(1)} s${mark('floor')} | ${(row.tendMs! / 1000).toFixed(1)} s${mark('tend')} | ${row.tendOverFloor ?? '–'} | ` +
          `${row.ansibleMs ? `${(row.ansibleMs / 1000).toFixed(1)} s${mark('ansible')}` : '–'} | ${row.ansibleOverTend ?? '–'} |`,
      );
    }
  }
  const scale = r.scale as Record<string, { medianMs: number; minMs: number; maxMs: number; peakRssMb: number; exitCodes: number[] }>;
  if (Object.keys(scale).length > 0) {
    lines.push('', '| tend check at scale | median | min–max | peak RSS | exit codes |', '|---|---|---|---|---|');
    for (const [n, s] of Object.entries(scale)) {
      lines.push(`| ${n} hosts | ${(s.medianMs / 1000).toFixed(2)} s | ${(s.minMs / 1000).toFixed(2)}–${(s.maxMs / 1000).toFixed(2)} s | ${s.peakRssMb} MB | ${s.exitCodes.join(', ')} |`);
    }
  }
  const light = (r.light ?? {}) as Record<string, { apply: ReturnType<typeof summary> & { peakRssMb: number }; check: ReturnType<typeof summary> & { peakRssMb: number }; roundTripsPerHost: number; hostMs: { median: number; slowest: number } }>;
  if (Object.keys(light).length > 0) {
    lines.push('', '| light playbook (3 tasks), real hosts | median | min–max | peak RSS | exit codes |', '|---|---|---|---|---|');
    for (const [n, l] of Object.entries(light)) {
      for (const s of [l.apply, l.check]) {
        lines.push(`| ${s.name} | ${(s.medianMs / 1000).toFixed(2)} s | ${(s.minMs / 1000).toFixed(2)}–${(s.maxMs / 1000).toFixed(2)} s | ${s.peakRssMb} MB | ${s.exitCodes.join(', ')} |`);
      }
      lines.push('', `${n} hosts checked: ${l.roundTripsPerHost} round trip per host; a host's own time median ${l.hostMs.median} ms, slowest ${l.hostMs.slowest} ms.`);
    }
  }
  return `${lines.join('\n')}\n`;
}

await main();
