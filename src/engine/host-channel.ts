// One host's scripts, as the task runner sends them: a lost connection or an interrupt
// becomes ScriptLost (the host ends, with that status), and a round of probes comes back
// as each probe's own output (engine/batch.ts frames them).
import type { ShellText } from '../shell.ts';
import { TIMED_OUT, UnreachableError, type Transport } from '../transport/types.ts';
import type { Probed } from '../module.ts';
import { probeBatch, type ProbeScript } from './batch.ts';
import type { RunControl } from './control.ts';

/** A script that did not come back: the host is unreachable, or the run was interrupted. */
export class ScriptLost extends Error {
  constructor(
    message: string,
    readonly status: 'unreachable' | 'interrupted',
  ) {
    super(message);
  }
}

export interface HostChannel {
  /** One script on the host (with `input` on its stdin). */
  send(script: ShellText, timeoutS: number, input?: string): ReturnType<Transport['run']>;
  /**
   * One probe script on the host, its sections read back (host CPU counted with
   * --stats). With `apply`, the first script is a task's commands: its time limit cut
   * short is reported ('timed out'), not thrown; for probes alone it is an error.
   */
  probeRound(scripts: ProbeScript[], timeoutS: number, apply: boolean): Promise<Probed[] | 'timed out'>;
}

export function hostChannel(transport: Transport, options: { control?: RunControl; measure?: boolean }): HostChannel {
  const send: HostChannel['send'] = async (script, timeoutS, input) => {
    try {
      return await transport.run(script, { timeoutS, ...(input !== undefined ? { input } : {}) });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (options.control?.aborted) throw new ScriptLost(`interrupted while a script ran (${message})`, 'interrupted');
      if (e instanceof UnreachableError) throw new ScriptLost(message, 'unreachable');
      throw e;
    }
  };
  const probeRound: HostChannel['probeRound'] = async (scripts, timeoutS, apply) => {
    const batch = probeBatch(scripts, undefined, options.measure === true);
    const out = await send(batch.script, timeoutS);
    if (out.code === TIMED_OUT && !apply) throw new Error(`reading the host's state took longer than ${timeoutS} s; the probes were stopped`);
    if (out.code === TIMED_OUT && out.stdout.length === 0) return 'timed out';
    if (out.code !== 0 && out.stdout.length === 0) {
      throw new Error(`probe script failed (exit ${out.code}): ${out.stderr.toString().trim()}`);
    }
    let parsed: Probed[];
    try {
      parsed = batch.parse(out.stdout);
    } catch (e) {
      // The task's commands were stopped by the time limit: whatever they printed is cut short.
      if (out.code === TIMED_OUT) return 'timed out';
      throw e;
    }
    if (options.measure) transport.stats.remoteCpuMs = (transport.stats.remoteCpuMs ?? 0) + parsed.reduce((sum, p) => sum + (p.cpuMs ?? 0), 0);
    return parsed;
  };
  return { send, probeRound };
}
