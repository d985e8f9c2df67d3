// On a terminal: listr2 shows a header line (hosts done, changed, failed) and one line
// per host being worked on, with its current task and a spinner. Lines are slots, not
// hosts: at most `forks` of them, so two hundred hosts stay as readable as three. A
// finished host leaves its slot; its summary appears in the recap and differences after.
// Every title is made by `liveTitles`, from names and results made printable first.
import { Listr, type DefaultRenderer, type ListrTaskWrapper } from 'listr2';
import type { HostResult } from '../engine/results.ts';
import type { RunEvents } from '../engine/run.ts';
import { hostSummary, taskLabel } from './format.ts';
import { printable, printableAll } from './printable.ts';

/** The host lines' titles: what a host or a fact put in them is shown, not obeyed by the terminal. */
export const liveTitles = {
  waiting: (host: string) => `${printable(host)}: waiting`,
  connecting: (host: string) => `${printable(host)}: connecting`,
  task: (host: string, task: { number: number; name: string; handler: boolean }) => `${printable(host)}: ${taskLabel(printableAll(task))}`,
  done: (result: HostResult, check: boolean) => `${printable(result.host)}: ${hostSummary(printableAll(result), check)}`,
};

type Wrapper = ListrTaskWrapper<unknown, typeof DefaultRenderer, typeof DefaultRenderer>;

/** `close()` ends the view when the run is over, whether or not every host started (a stopped rollout). */
export function liveReporter(hostNames: string[], check: boolean, forks: number): { events: RunEvents; finished: Promise<unknown>; close: () => void } {
  const total = hostNames.length;
  const slotCount = Math.max(1, Math.min(forks, total));
  // Few hosts: one line each, kept with its summary when done. Many: slots.
  const perHost = total <= slotCount;
  const wrappers: (Wrapper | undefined)[] = new Array(perHost ? total : slotCount).fill(undefined);
  const slotOf = new Map<string, number>();
  const free = Array.from({ length: wrappers.length }, (_, i) => i);
  const done = { hosts: 0, changed: 0, failed: 0 };
  let header: Wrapper | undefined;
  let finish!: () => void;
  const allDone = new Promise<void>((resolve) => (finish = resolve));

  const headerTitle = () =>
    `${done.hosts}/${total} hosts done · ${done.changed} ${check ? 'drifted' : 'changed'} · ${done.failed} failed or unreachable`;
  const setTitle = (host: string, title: string) => {
    const slot = slotOf.get(host);
    const w = slot === undefined ? undefined : wrappers[slot];
    if (w) w.title = title;
  };

  const list = new Listr(
    [
      ...(perHost
        ? []
        : [
            {
              title: headerTitle(),
              task: async (_ctx: unknown, task: Wrapper) => {
                header = task;
                await allDone;
                task.title = headerTitle();
              },
            },
          ]),
      ...wrappers.map((_, i) => ({
        title: perHost ? liveTitles.waiting(hostNames[i]!) : 'waiting',
        task: async (_ctx: unknown, task: Wrapper) => {
          wrappers[i] = task;
          await allDone;
          if (!perHost) task.title = '';
        },
      })),
    ],
    { concurrent: true, exitOnError: false, renderer: 'default', rendererOptions: { collapseErrors: true, showErrorMessage: false } },
  );
  const finished = list.run().catch(() => undefined);
  if (perHost) hostNames.forEach((name, i) => slotOf.set(name, i));

  const events: RunEvents = {
    hostStarted: (host) => {
      if (!perHost) slotOf.set(host, free.shift() ?? 0);
      setTitle(host, liveTitles.connecting(host));
    },
    taskStarted: (host, task) => setTitle(host, liveTitles.task(host, task)),
    taskDone: () => {},
    hostDone: (result: HostResult) => {
      done.hosts++;
      if (result.status === 'changed') done.changed++;
      if (result.status === 'failed' || result.status === 'unreachable') done.failed++;
      if (perHost) setTitle(result.host, liveTitles.done(result, check));
      else {
        const slot = slotOf.get(result.host);
        if (slot !== undefined) {
          setTitle(result.host, 'idle');
          free.push(slot);
        }
        if (header) header.title = headerTitle();
      }
      if (done.hosts === total) finish();
    },
  };
  return { events, finished, close: () => finish() };
}
