// A playbook run through tend's engine (rollout, run, host-run) against hosts that are
// directories on this machine, reached by a transport that runs each script in a local
// /bin/sh: the engine is real, only the network is not. The `show` module records each
// rendered text, so a test reads what every task saw, the way Ansible's debug shows it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { newRunMagic } from '../../src/engine/magic-vars.ts';
import type { HostResult } from '../../src/engine/results.ts';
import { runRollout } from '../../src/engine/rollout.ts';
import type { RunEvents } from '../../src/engine/run.ts';
import { loadInventory, selectHosts, type Host } from '../../src/inventory/index.ts';
import { defineTask, type TaskModule } from '../../src/module.ts';
import { loadPlaybook } from '../../src/playbook/load.ts';
import type { Play } from '../../src/playbook/plays.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import type { RunResult, Transport } from '../../src/transport/types.ts';

/** show: appends its text (as a JSON line) to the host's record; always a change. */
export const show = defineTask({
  name: 'show',
  summary: 'records a rendered text',
  example: '',
  params: z.object({ text: z.string() }).strict(),
  probe: () => sh`true`,
  plan: (p) => ({ changes: [{ subject: 'shown', kind: 'run' }], commands: [sh`printf '%s\n' ${JSON.stringify(p.text)} >> "$HOST_DIR"/shown`] }),
});

class LocalShell implements Transport {
  readonly stats = { roundTrips: 0, bytesSent: 0, bytesReceived: 0, connectMs: 0 };
  constructor(private readonly dir: string) {}
  async connect(): Promise<void> {}
  async run(script: ShellText): Promise<RunResult> {
    const r = spawnSync('/bin/sh', ['-s'], { input: script.text, env: { ...process.env, HOST_DIR: this.dir } });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  }
  abort(): void {}
  async close(): Promise<void> {}
}

const quiet: RunEvents = { hostStarted() {}, taskStarted() {}, taskDone() {}, hostDone() {} };

export interface LocalPlay {
  hosts: HostResult[];
  /** Per host, per task name: the text its show task rendered, or "(skipped)". */
  shown: Map<string, Map<string, string>>;
  /** Per host, in the order they ran: "task name: text" of each show task, "task name: (skipped)" of any skipped task. */
  sequence: Map<string, string[]>;
}

/** Runs `playbookFile` over the hosts of `inventoryFile` its plays select, with -e `extraVars`. */
export async function playLocally(
  playbookFile: string,
  inventoryFile: string,
  extraVars: Record<string, unknown> = {},
  /** Modules beside show (command, shell: they run in this machine's /bin/sh). */
  modules: readonly TaskModule[] = [],
): Promise<LocalPlay> {
  const playbook = loadPlaybook(playbookFile, new Map([['show', show as TaskModule], ...modules.map((m) => [m.name, m] as const)]));
  const inventory = loadInventory(inventoryFile);
  const work = new Map<Host, Play[]>();
  const dirs = new Map<string, string>();
  for (const play of playbook.plays) {
    for (const host of selectHosts(inventory, undefined, play.hosts)) {
      const known = [...work.keys()].find((h) => h.name === host.name) ?? host;
      work.set(known, [...(work.get(known) ?? []), play]);
      if (!dirs.has(host.name)) dirs.set(host.name, mkdtempSync(join(dirnameOf(playbookFile), '.host-')));
    }
  }
  const playHosts = new Map(playbook.plays.map((p) => [p, [...work].filter(([, plays]) => plays.includes(p)).map(([h]) => h.name)]));
  const result = await runRollout(
    playbook.plays,
    work,
    {
      check: false,
      extraVars,
      forks: 5,
      knownHostsFiles: [],
      acceptNewHostKeys: false,
      connectTimeoutMs: 1000,
      transportFor: (h) => new LocalShell(dirs.get(h.name)!),
      magic: newRunMagic({ inventory, playbookFile, check: false, forks: 5, runTags: [], skipTags: [], extraVars, playHosts }),
    },
    quiet,
  );
  const shown = new Map<string, Map<string, string>>();
  const sequence = new Map<string, string[]>();
  for (const h of result.hosts) {
    const file = join(dirs.get(h.host)!, 'shown');
    const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as string) : [];
    const byTask = new Map<string, string>();
    const ran: string[] = [];
    for (const t of h.tasks) {
      // Skipped for a reason (a false condition), as Ansible shows it; tasks an ending kept
      // from running are listed in tend's reports, but Ansible shows nothing of them.
      if (t.status === 'skipped' && t.reason === undefined) continue;
      if (t.module !== 'show' && t.status === 'skipped') ran.push(`${t.name}: (skipped)`);
      if (t.module !== 'show') continue;
      const text = t.status === 'skipped' ? '(skipped)' : t.status === 'changed' ? lines.shift()! : `(${t.status}: ${t.error ?? ''})`;
      byTask.set(t.name, text);
      ran.push(`${t.name}: ${text}`);
    }
    shown.set(h.host, byTask);
    sequence.set(h.host, ran);
  }
  return { hosts: result.hosts, shown, sequence };
}

const dirnameOf = (file: string) => file.slice(0, file.lastIndexOf('/')) || '/';
