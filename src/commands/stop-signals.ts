// One path for every way a command is told to stop early: SIGINT (Ctrl-C), SIGTERM (a
// CI runner cancelling the job), SIGHUP (the terminal went away). The command decides
// what stopping means (finish the running task, interrupt it) and cleans up on its
// ordinary way out — containers removed, reports written — and then exits with the
// status the first signal calls for, as a shell reports a process that signal killed.
// (A reader that goes away, EPIPE, is not a signal: the output is dropped and the run
// ends with its own status; see cli.ts.)

/** 128 + the signal's number, as shells report it. */
export const SIGNAL_STATUS = { SIGINT: 130, SIGHUP: 129, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_STATUS;
const STOP_SIGNALS = Object.keys(SIGNAL_STATUS) as StopSignal[];

export interface StopSignals {
  /** The first signal received, if any. */
  readonly first: StopSignal | undefined;
  /** The exit status the first signal calls for (130, 143, 129), if one came. */
  readonly status: number | undefined;
  /** Stops listening: a later signal has its default effect again. */
  dispose(): void;
}

/**
 * Calls `onSignal` for each SIGINT, SIGTERM or SIGHUP (`count`: how many so far, so a
 * second one can mean "now") until disposed. While listening, no such signal kills the
 * process: the command's own cleanup always runs.
 */
export function onStopSignals(onSignal: (signal: StopSignal, count: number) => void): StopSignals {
  let first: StopSignal | undefined;
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    const stop = signal as StopSignal;
    first ??= stop;
    onSignal(stop, ++count);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return {
    get first() {
      return first;
    },
    get status() {
      return first === undefined ? undefined : SIGNAL_STATUS[first];
    },
    dispose() {
      for (const signal of STOP_SIGNALS) process.off(signal, handler);
    },
  };
}
