// On a terminal: listr2 shows one line per host with its current task and a spinner;
// a finished host collapses to its summary. Details of changes come after, grouped.
import { Listr, type DefaultRenderer, type ListrTaskWrapper } from 'listr2';
import type { HostResult } from '../engine/results.ts';
import type { RunEvents } from '../engine/run.ts';
import { hostSummary, taskLabel } from './format.ts';

interface HostSlot {
  task?: ListrTaskWrapper<unknown, typeof DefaultRenderer, typeof DefaultRenderer>;
  done: (result: HostResult) => void;
  result: Promise<HostResult>;
}

export function liveReporter(hostNames: string[], check: boolean): { events: RunEvents; finished: Promise<unknown> } {
  const slots = new Map<string, HostSlot>();
  for (const name of hostNames) {
    let done!: (r: HostResult) => void;
    const result = new Promise<HostResult>((resolve) => (done = resolve));
    slots.set(name, { done, result });
  }
  const list = new Listr(
    hostNames.map((name) => ({
      title: `${name}: waiting`,
      task: async (_ctx: unknown, task: ListrTaskWrapper<unknown, typeof DefaultRenderer, typeof DefaultRenderer>) => {
        const slot = slots.get(name)!;
        slot.task = task;
        const result = await slot.result;
        task.title = `${name}: ${hostSummary(result, check)}`;
        if (result.status === 'failed' || result.status === 'unreachable') throw new Error(task.title);
      },
    })),
    {
      concurrent: true,
      exitOnError: false,
      renderer: 'default',
      rendererOptions: { collapseErrors: true, showErrorMessage: false },
    },
  );
  const finished = list.run().catch(() => undefined);
  const events: RunEvents = {
    hostStarted: (host) => {
      const t = slots.get(host)?.task;
      if (t) t.title = `${host}: connecting`;
    },
    taskStarted: (host, task) => {
      const t = slots.get(host)?.task;
      if (t) t.title = `${host}: ${taskLabel(task)}`;
    },
    taskDone: () => {},
    hostDone: (result) => slots.get(result.host)?.done(result),
  };
  return { events, finished };
}
