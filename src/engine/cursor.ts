// Where a host is in its list of tasks. The list can grow while it runs: tasks that a
// running task brings (a dynamic include, a block's rescue or always) go in right after
// it and run next. A static playbook is the simple case: the list never grows.
// The runner reads the state of every remaining task in one round trip; `generation`
// tells it that what it read no longer lines up with the list (something was inserted).

export class TaskCursor<T> {
  readonly #items: T[];
  #generation = 0;

  constructor(items: readonly T[]) {
    this.#items = [...items];
  }

  get length(): number {
    return this.#items.length;
  }

  /** Changes each time tasks are inserted: probes read before then are stale. */
  get generation(): number {
    return this.#generation;
  }

  at(i: number): T {
    if (i < 0 || i >= this.#items.length) throw new RangeError(`no task at ${i} (of ${this.#items.length})`);
    return this.#items[i]!;
  }

  /** The tasks from `i` on, in order. */
  from(i: number): T[] {
    return this.#items.slice(i);
  }

  /** Puts `items` right after position `i`, so that they run next. */
  insertAfter(i: number, items: readonly T[]): void {
    if (i < -1 || i >= this.#items.length) throw new RangeError(`cannot insert after ${i} (of ${this.#items.length})`);
    if (items.length === 0) return;
    this.#items.splice(i + 1, 0, ...items);
    this.#generation++;
  }

  /** Puts `items` in place of everything from position `i` on (those tasks prepared again). */
  replaceFrom(i: number, items: readonly T[]): void {
    if (i < 0 || i > this.#items.length) throw new RangeError(`cannot replace from ${i} (of ${this.#items.length})`);
    this.#items.splice(i, this.#items.length - i, ...items);
    this.#generation++;
  }
}
