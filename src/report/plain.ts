// Without a terminal (CI, pipes, logs): one plain, greppable line per event, each
// starting with the host name; changes indented under their task.
import type { RunEvents } from '../engine/run.ts';
import { formatChange, hostSummary, statusWord, taskLabel } from './format.ts';
import { printable } from './printable.ts';

export function plainReporter(check: boolean, write: (line: string) => void): RunEvents {
  return {
    hostStarted: () => {},
    taskStarted: () => {},
    taskDone: (host, t) => {
      write(`${host}: ${statusWord(t, check)}: ${taskLabel(t, t.module)}`);
      for (const line of t.changes.flatMap(formatChange)) write(`${host}:     ${line}`);
      if (t.error) for (const line of t.error.split('\n')) write(`${host}:     ${printable(line)}`);
    },
    hostDone: (h) => write(`${h.host}: done: ${hostSummary(h, check)}`),
  };
}
