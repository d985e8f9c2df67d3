// What end-to-end tests share: the fleet (started by test/run.sh), and running the real
// `tend` command line as a child process.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const FLEET_DIR = process.env.TEND_FLEET_DIR ?? '/var/tmp/tend-fleet';
export const FLEET_KEY = join(FLEET_DIR, 'id_ed25519');
export const KNOWN_HOSTS = join(FLEET_DIR, 'known_hosts');
const FLEET = join(ROOT, 'test/fleet/fleet.sh');

export interface TendResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `tend ARGS…` (bin/tend.js) without a terminal, as CI would. */
export function tend(args: string[], env: Record<string, string> = {}): Promise<TendResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/tend.js'), ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export function fleetIp(i: number): string {
  return execFileSync('bash', [FLEET, 'ip', String(i)], { encoding: 'utf8' }).trim();
}

export function hostName(i: number): string {
  return `tend-${i}`;
}

/** Runs a command inside fleet host `i` as its root; returns stdout. Throws on failure. */
export function onHost(i: number, script: string): string {
  return execFileSync('bash', [FLEET, 'exec', String(i), 'sh', '-c', script], { encoding: 'utf8' });
}

export function fleet(...args: string[]): string {
  return execFileSync('bash', [FLEET, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** An inventory of the given fleet hosts, written to a temp file. */
export function inventoryOf(hosts: number[], extra = ''): string {
  const lines = ['all:', '  vars:', '    ansible_user: root', `    ansible_ssh_private_key_file: ${FLEET_KEY}`, '  hosts:'];
  for (const i of hosts) lines.push(`    ${hostName(i)}:`, `      ansible_host: ${fleetIp(i)}`);
  return writeTemp('inventory.yml', `${lines.join('\n')}\n${extra}`);
}

/** `-i INVENTORY --known-hosts …` for fleet hosts; the inventory is written on first use. */
export function fleetArgs(hosts: number[]): () => string[] {
  let inventory: string | undefined;
  return () => ['-i', (inventory ??= inventoryOf(hosts)), '--known-hosts', KNOWN_HOSTS];
}

export function writeTemp(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tend-test-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** Lines of output that mention a host. */
export function linesOf(output: string, host: string): string[] {
  return output.split('\n').filter((l) => l.startsWith(`${host}:`));
}

/** A host's line in the recap at the end of a run. */
export function recapLine(output: string, host: string): string {
  const line = output.split('\n').find((l) => l.startsWith(`${host} `) && l.includes('unreachable='));
  assert.ok(line, `no recap line for ${host} in:\n${output}`);
  return line;
}
