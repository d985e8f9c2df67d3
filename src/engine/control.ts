// Stopping a run from outside (Ctrl-C, SIGTERM), in two steps as people expect:
//   stop   — no new task starts on any host; a script already running finishes its task,
//            so nothing is left half-done; hosts not started yet are not contacted.
//   abort  — running scripts are interrupted now (SIGINT: their traps remove what they
//            staged) and connections close.

export class RunControl {
  stopping = false;
  aborted = false;
  private readonly aborters = new Set<() => void>();

  /** The first request stops; a second one aborts. */
  interrupt(): 'stop' | 'abort' {
    if (!this.stopping) {
      this.stopping = true;
      return 'stop';
    }
    this.abort();
    return 'abort';
  }

  abort(): void {
    this.stopping = true;
    this.aborted = true;
    for (const abort of this.aborters) abort();
  }

  /** Registers what to do on abort; returns the unregistration. */
  onAbort(fn: () => void): () => void {
    if (this.aborted) fn();
    this.aborters.add(fn);
    return () => this.aborters.delete(fn);
  }
}
