// A process-list recorder on a fleet host: what any local user could read with `ps`
// while tend works there. A root loop on the host appends every process's full argv
// (`ps -ww`) to a log, sweep after sweep, until told to stop. A test waits for what it
// needs through files the recorder writes — `ready` after its first sweep, `seen` after
// a whole sweep that began once the task under test had written `running` — never for a
// length of time.
import assert from 'node:assert/strict';
import { quote } from '../../src/shell.ts';
import { onHost } from './helpers.ts';

const RECORDER = `d=$1
while [ ! -e "$d/stop" ]; do
  task_was_running=; [ -e "$d/running" ] && task_was_running=1
  ps -e -ww -o user=,args= >> "$d/argv" || exit 1
  [ -e "$d/ready" ] || : > "$d/ready"
  [ -z "$task_was_running" ] || [ -e "$d/seen" ] || : > "$d/seen"
done
: > "$d/stopped"`;

export interface ArgvWatch {
  /** A directory on the host every user may write (1777): a task touches `$dir/running` there. */
  dir: string;
  /** Shell text for a task: says it is running, then waits until a whole sweep has seen it. */
  waitUntilSeen: string;
  /** Stops the recorder (and waits until it has). */
  stop(): Promise<void>;
  /** How many recorded argv lines contain `text` (asked after stop, so the asking is not recorded). */
  linesWith(text: string): number;
}

/** Polls a condition on the host (a file the recorder writes) until it holds, or fails after `limitMs`. */
async function untilFile(host: number, file: string, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (onHost(host, `[ -e ${file} ] && echo yes || echo no`).trim() !== 'yes') {
    assert.ok(Date.now() < deadline, `${file} did not appear on tend-${host} within ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startArgvWatch(host: number): Promise<ArgvWatch> {
  const dir = onHost(host, 'd=$(mktemp -d /tmp/tend-argv.XXXXXX) && chmod 1777 "$d" && echo "$d"').trim();
  assert.match(dir, /^\/tmp\/tend-argv\.\w+$/);
  // Detached, with its output closed, so that this exec returns while it records.
  onHost(host, `setsid sh -c '${RECORDER.replaceAll("'", `'"'"'`)}' recorder ${dir} </dev/null >/dev/null 2>&1 &`);
  await untilFile(host, `${dir}/ready`, 20_000);
  return {
    dir,
    waitUntilSeen: `touch ${dir}/running; while [ ! -e ${dir}/seen ]; do sleep 0.05; done`,
    stop: async () => {
      onHost(host, `: > ${dir}/stop`);
      await untilFile(host, `${dir}/stopped`, 20_000);
    },
    linesWith: (text) => Number(onHost(host, `grep -cF -e ${quote(text)} ${dir}/argv || true`).trim()),
  };
}
