// A read-only dict whose values are made when first read: Ansible's `hostvars`, where
// each host's variables are templated only if a template asks for them. It is a Map to
// every filter, test and loop (keys in the order given), and an object of the engine's
// own to the conversion of host data (fromJS passes it as it is instead of reading every
// value). A key whose value turns out to be MISSING_ATTR is not in the dict.
import { PyError } from './errors.ts';
import { MISSING } from './objects.ts';

export const MISSING_ATTR: unknown = MISSING;

export class LazyDict extends Map<unknown, unknown> {
  private readonly names: readonly string[];
  private readonly known: ReadonlySet<string>;
  private readonly made = new Map<string, unknown>();
  private readonly compute: (key: string) => unknown;

  constructor(names: readonly string[], compute: (key: string) => unknown) {
    super();
    this.names = names;
    this.known = new Set(names);
    this.compute = compute;
  }

  private value(key: string): unknown {
    if (!this.made.has(key)) this.made.set(key, this.known.has(key) ? this.compute(key) : MISSING);
    return this.made.get(key);
  }

  override get(key: unknown): unknown {
    if (typeof key !== 'string') return undefined;
    const v = this.value(key);
    return v === MISSING ? undefined : v;
  }
  override has(key: unknown): boolean {
    return typeof key === 'string' && this.known.has(key) && this.value(key) !== MISSING;
  }
  override get size(): number {
    return [...this.keys()].length;
  }
  override *keys(): MapIterator<unknown> {
    for (const k of this.names) if (this.value(k) !== MISSING) yield k;
  }
  override *values(): MapIterator<unknown> {
    for (const k of this.keys()) yield this.get(k);
  }
  override *entries(): MapIterator<[unknown, unknown]> {
    for (const k of this.keys()) yield [k, this.get(k)];
  }
  override [Symbol.iterator](): MapIterator<[unknown, unknown]> {
    return this.entries();
  }
  override forEach(fn: (value: unknown, key: unknown, map: Map<unknown, unknown>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
  override set(): this {
    throw new PyError('TypeError', 'this mapping is read-only');
  }
  override delete(): boolean {
    throw new PyError('TypeError', 'this mapping is read-only');
  }
  override clear(): void {
    throw new PyError('TypeError', 'this mapping is read-only');
  }
  /** An object of the engine's (fromJS leaves it as it is); its items are its attributes. */
  pyAttr(name: string): unknown {
    return this.has(name) ? this.get(name) : MISSING;
  }
}
