// Objects a template can hold besides plain data: the `loop` variable, cycler, joiner,
// slices, and the global functions (range, dict, namespace, …). Each answers attribute
// reads through pyAttr, so nothing but the listed names is ever reachable.
import { PyError, typeError } from './errors.ts';
import { LIMITS } from './limits.ts';
import { eq, isDict, isInt, Namespace, num, str, typeName, Undefined, type PyCallable } from './values.ts';

/** An object with Python attributes; MISSING when it has no such attribute. */
export const MISSING = Symbol('missing');
export interface HasAttrs {
  pyAttr(name: string): unknown;
}
export const hasAttrs = (v: unknown): v is HasAttrs => typeof v === 'object' && v !== null && typeof (v as HasAttrs).pyAttr === 'function';

/** A plain function of positional and keyword arguments. */
export class Builtin implements PyCallable {
  constructor(
    readonly callableName: string,
    private readonly fn: (args: unknown[], kwargs: Map<string, unknown>) => unknown,
  ) {}
  call(args: unknown[], kwargs: Map<string, unknown>): unknown {
    return this.fn(args, kwargs);
  }
}

export class SliceValue {
  constructor(
    readonly start: number | null,
    readonly stop: number | null,
    readonly step: number | null,
  ) {}
  /** Python's slice semantics over a sequence of `length` items: the indexes taken. */
  indexes(length: number): number[] {
    const step = this.step ?? 1;
    if (step === 0) throw new PyError('ValueError', 'slice step cannot be zero');
    const clamp = (v: number | null, def: number, lo: number, hi: number) => {
      if (v === null) return def;
      const x = v < 0 ? v + length : v;
      return Math.min(Math.max(x, lo), hi);
    };
    const out: number[] = [];
    if (step > 0) {
      const start = clamp(this.start, 0, 0, length);
      const stop = clamp(this.stop, length, 0, length);
      for (let i = start; i < stop; i += step) out.push(i);
    } else {
      const start = clamp(this.start, length - 1, -1, length - 1);
      const stop = clamp(this.stop, -1, -1, length - 1);
      for (let i = start; i > stop; i += step) out.push(i);
    }
    return out;
  }
}

/** The `loop` variable of a for loop. */
export class LoopContext implements HasAttrs {
  index0 = -1;
  private lastChanged: unknown[] | typeof MISSING = MISSING;
  constructor(
    readonly items: unknown[],
    readonly depth0: number,
    readonly recurse: PyCallable | null,
  ) {}
  pyAttr(name: string): unknown {
    const i = this.index0;
    const n = this.items.length;
    switch (name) {
      case 'index':
        return i + 1;
      case 'index0':
        return i;
      case 'revindex':
        return n - i;
      case 'revindex0':
        return n - i - 1;
      case 'first':
        return i === 0;
      case 'last':
        return i === n - 1;
      case 'length':
        return n;
      case 'depth':
        return this.depth0 + 1;
      case 'depth0':
        return this.depth0;
      case 'previtem':
        return i > 0 ? this.items[i - 1] : new Undefined("there is no previous item");
      case 'nextitem':
        return i < n - 1 ? this.items[i + 1] : new Undefined('there is no next item');
      case 'cycle':
        return new Builtin('cycle', (args) => {
          if (args.length === 0) throw typeError('no items for cycling given');
          return args[i % args.length];
        });
      case 'changed':
        return new Builtin('changed', (args) => {
          if (this.lastChanged !== MISSING && this.lastChanged.length === args.length && this.lastChanged.every((x, j) => eq(x, args[j]))) return false;
          this.lastChanged = args;
          return true;
        });
    }
    return MISSING;
  }
  /** `loop(children)` in a recursive loop. */
  get callableName(): string {
    return 'loop';
  }
  call(args: unknown[], kwargs: Map<string, unknown>): unknown {
    if (!this.recurse) throw typeError('Tried to call non recursive loop.  Maybe you forgot the \'recursive\' modifier.');
    return this.recurse.call(args, kwargs);
  }
  pyRepr(): string {
    return `<LoopContext ${this.index0 + 1}/${this.items.length}>`;
  }
}

export class Cycler implements HasAttrs {
  private pos = 0;
  constructor(private readonly items: unknown[]) {}
  pyAttr(name: string): unknown {
    if (name === 'current') return this.items[this.pos];
    if (name === 'next') return new Builtin('next', () => {
      const v = this.items[this.pos];
      this.pos = (this.pos + 1) % this.items.length;
      return v;
    });
    if (name === 'reset') return new Builtin('reset', () => ((this.pos = 0), null));
    return MISSING;
  }
}

function range(args: unknown[]): number[] {
  if (args.length === 0) throw typeError('range expected at least 1 argument, got 0');
  args.forEach((a) => {
    if (!isInt(a) && typeof a !== 'boolean') throw typeError(`'${typeName(a)}' object cannot be interpreted as an integer`);
  });
  const [start, stop, step] = args.length === 1 ? [0, num(args[0]), 1] : [num(args[0]), num(args[1]), args.length > 2 ? num(args[2]) : 1];
  if (step === 0) throw new PyError('ValueError', 'range() arg 3 must not be zero');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > LIMITS.rangeItems) throw new PyError('OverflowError', `range with more than ${LIMITS.rangeItems} items (the limit)`);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(start + i * step);
  return out;
}

function dictOf(args: unknown[], kwargs: Map<string, unknown>): Map<unknown, unknown> {
  const out = new Map<unknown, unknown>();
  const from = args[0];
  if (isDict(from)) for (const [k, v] of from) out.set(k, v);
  else if (Array.isArray(from)) {
    for (const pair of from) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new PyError('ValueError', 'dictionary update sequence element has wrong length');
      out.set(pair[0], pair[1]);
    }
  }
  for (const [k, v] of kwargs) out.set(k, v);
  return out;
}

/** Jinja2's globals as Ansible's Templar has them (lookup/query are added by the caller). */
export function makeGlobals(): Map<string, unknown> {
  return new Map<string, unknown>([
    ['range', new Builtin('range', range)],
    ['dict', new Builtin('dict', dictOf)],
    ['namespace', new Builtin('namespace', (args, kwargs) => {
      const ns = new Namespace();
      for (const [k, v] of dictOf(args, kwargs)) ns.attrs.set(str(k), v);
      return ns;
    })],
    ['cycler', new Builtin('cycler', (args) => new Cycler(args))],
    ['joiner', new Builtin('joiner', (args) => {
      let used = false;
      const sep = args.length ? args[0] : ', ';
      return new Builtin('joiner', () => (used ? sep : ((used = true), '')));
    })],
    ['undef', new Builtin('undef', (args) => new Undefined(args.length ? str(args[0]) : 'Mandatory variable has not been overridden'))],
  ]);
}
