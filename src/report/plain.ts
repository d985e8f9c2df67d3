// Without a terminal (CI, pipes, logs): one plain, greppable line per event, each
// starting with the host name; changes indented under their task. Results are read
// through printableAll: a log is often read on a terminal too.
import type { RunEvents } from '../engine/run.ts';
import { formatChange, hostSummary, statusWord, taskLabel } from './format.ts';
import { printable, printableAll } from './printable.ts';

export function plainReporter(check: boolean, write: (line: string) => void): RunEvents {
  return {
    hostStarted: () => {},
    taskStarted: () => {},
    taskDone: (rawHost, rawTask) => {
      const host = printable(rawHost);
      const t = printableAll(rawTask);
      write(`${host}: ${statusWord(t, check)}: ${taskLabel(t, t.module)}`);
      for (const line of t.changes.flatMap(formatChange)) write(`${host}:     ${line}`);
      if (t.error) for (const line of t.error.split('\n')) write(`${host}:     ${line}`);
    },
    hostDone: (raw) => {
      const h = printableAll(raw);
      write(`${h.host}: done: ${hostSummary(h, check)}`);
    },
  };
}
