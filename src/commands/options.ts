// What the commands that contact hosts share: their flags, and reading them.
import { FACT_NAMES } from '../engine/facts.ts';
import chalk from 'chalk';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import type { Host } from '../inventory/index.ts';
import { CONNECTION_VARIABLES } from '../inventory/model.ts';
import { emptyVars, mergeVars } from '../vars.ts';
import { readAnsibleYaml } from '../playbook/syntax/yaml11.ts';

export interface RunFlags {
  keyPassphraseEnv?: string;
  sshConfig?: string;
  askBecomePass?: boolean;
  becomePassEnv?: string;
  inventory: string;
  limit?: string;
  extraVars: string[];
  forks: string;
  knownHosts: string[];
  acceptNewHostKeys?: boolean;
  timeout: string;
  detailedExitcode?: boolean;
  color: boolean;
  json?: string;
  stats?: boolean;
}

/** --no-color and NO_COLOR turn colours off. */
export function useColour(flags: { color: boolean }): void {
  if (!flags.color || process.env.NO_COLOR) chalk.level = 0;
}

/** Names of variables some host will have: any host's inventory vars and -e. */
/** Variables a playbook may use: the inventory's, -e's, and facts (read from each host when used). */
export function knownVariables(hosts: readonly Host[], extraVars: Record<string, unknown>): Set<string> {
  return new Set([...hosts.flatMap((h) => Object.keys(h.vars)), ...Object.keys(extraVars), ...FACT_NAMES]);
}

export function parseExtraVars(values: string[]): Record<string, unknown> {
  const vars = emptyVars();
  for (const v of values) {
    if (v.startsWith('@')) {
      const file = v.slice(1);
      // Read as Ansible reads a vars file: YAML 1.1 (yes is true, 0644 is octal).
      const data = readAnsibleYaml(file).toJS();
      if (!data || typeof data !== 'object' || Array.isArray(data)) throw new InputError(`-e ${v}: the file must hold a mapping`);
      mergeVars(vars, data as Record<string, unknown>);
    } else if (v.trimStart().startsWith('{')) {
      try {
        mergeVars(vars, JSON.parse(v));
      } catch (e) {
        throw new InputError(`-e: not valid JSON: ${(e as Error).message}`);
      }
    } else {
      for (const pair of v.split(/\s+(?=[A-Za-z_][A-Za-z0-9_]*=)/)) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new InputError(`-e '${pair}': expected key=value`);
        vars[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
    }
  }
  return vars;
}

export function positiveInt(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${what} must be a whole number above 0, not '${v}'`);
  return n;
}

/**
 * sudo's password for become: from the environment variable --become-pass-env names, or
 * asked once on the terminal (--ask-become-pass), never echoed.
 */
export async function becomePassword(flags: { askBecomePass?: boolean; becomePassEnv?: string }): Promise<string | undefined> {
  if (flags.becomePassEnv !== undefined) {
    const value = secretFromEnv('--become-pass-env', flags.becomePassEnv);
    if (/[\n\r\0]/.test(value)) throw new InputError(`--become-pass-env ${flags.becomePassEnv}: a password is one line`);
    return value;
  }
  if (!flags.askBecomePass) return undefined;
  if (!process.stdin.isTTY) throw new InputError('--ask-become-pass needs a terminal; use --become-pass-env NAME instead');
  return askHidden('BECOME password: ');
}

/** A secret from the environment variable an option names (never from argv). */
export function secretFromEnv(option: string, name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new InputError(`${option} ${name}: no such environment variable`);
  return value;
}

export function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    // Echo goes off before the question is shown: what is typed once it shows is never echoed.
    const stdin = process.stdin;
    stdin.setRawMode(true);
    process.stderr.write(question);
    stdin.resume();
    let answer = '';
    const onData = (chunk: Buffer) => {
      for (const c of chunk.toString('utf8')) {
        if (c === '\r' || c === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(answer);
          return;
        }
        if (c === '\u0003') process.kill(process.pid, 'SIGINT');
        else if (c === '\u007f') answer = answer.slice(0, -1);
        else answer += c;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * tend smoke reaches the containers it starts itself: a connection setting given with -e
 * would point its steps somewhere else. (apply and check take them, over the inventory's,
 * as Ansible does.)
 */
export function refuseConnectionExtraVars(extraVars: Record<string, unknown>): void {
  const given = Object.keys(extraVars).filter((k) => CONNECTION_VARIABLES.includes(k));
  if (given.length > 0) {
    throw new InputError(`-e ${given.join(', ')}: tend smoke connects to the containers it starts itself; connection settings cannot be given`);
  }
}

export function knownHostsFiles(flags: { knownHosts: string[] }): string[] {
  return flags.knownHosts.length > 0 ? flags.knownHosts : [join(homedir(), '.ssh', 'known_hosts')];
}
