// What a task's result never shows. Masking follows values: every value that reaches a
// secret parameter (a module's `secrets`, or its `secretValues` — a `user` password hash,
// a debconf password answer, a `secret: true` file's content) is replaced by `(secret)`
// wherever the result would show it: its loop label, its name, its error and command
// output, its changes. So is a part of the loop item that is a piece of such a value (a
// password joined from two fields, or changed in case by a filter). `no_log: true` hides
// the rest too: the label, the changes' values and the errors; the status stays.
// Everything here runs before a result is made, so the terminal, the JSON and HTML
// reports and --stats all read the same masked result.
import { toText } from '../playbook/template.ts';
import type { TaskResult } from './results.ts';
import type { Change, TaskModule } from '../module.ts';

export const SECRET_MASK = '(secret)';
export const NO_LOG_LABEL = '(hidden: no_log)';
export const NO_LOG_OUTPUT = '(output hidden: no_log)';
/** A piece of the item shorter than this could be anything (a digit of a uid): only whole secret values are masked then. */
const MIN_FRAGMENT = 4;

/**
 * The secret values in a module's parameters (rendered for one host and item), or
 * `undefined` when they cannot be told (parameters that do not have the module's shape).
 */
export function secretValuesOf(module: TaskModule, params: unknown): string[] | undefined {
  if (!module.secrets?.length && !module.secretValues) return [];
  if (params === null || typeof params !== 'object') return undefined;
  try {
    const named = (module.secrets ?? []).map((name) => (params as Record<string, unknown>)[name]).filter((v) => v !== undefined && v !== null);
    const sometimes = module.secretValues?.(params) ?? [];
    return [...named, ...sometimes].map((v) => toText(v)).filter((v) => v !== '');
  } catch {
    return undefined;
  }
}

export class Masker {
  private readonly pattern: RegExp | undefined;

  /** `item`: a loop item whose parts that are pieces of a secret value are masked as well. */
  constructor(secrets: readonly string[], item?: unknown) {
    const lowered = secrets.map((s) => s.toLowerCase());
    const pieces = leaves(item).filter((leaf) => leaf.length >= MIN_FRAGMENT && lowered.some((s) => s.includes(leaf.toLowerCase())));
    const all = [...new Set([...secrets, ...pieces])].filter((s) => s !== '').sort((a, b) => b.length - a.length);
    this.pattern = all.length > 0 ? new RegExp(all.map(escapeRegExp).join('|'), 'gi') : undefined;
  }

  get masks(): boolean {
    return this.pattern !== undefined;
  }

  text(s: string): string {
    return this.pattern ? s.replace(this.pattern, SECRET_MASK) : s;
  }

  /** A value (a loop item) with every secret in it masked: strings in place, numbers whole. */
  value(v: unknown): unknown {
    if (!this.pattern) return v;
    if (typeof v === 'string') return this.text(v);
    if (typeof v === 'number' || typeof v === 'boolean') return this.text(String(v)) === String(v) ? v : SECRET_MASK;
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.text(k), this.value(x)]));
    return v;
  }

  change(c: Change): Change {
    if (!this.pattern) return c;
    const text = (s: string | null | undefined) => (typeof s === 'string' ? this.text(s) : s);
    return {
      ...c,
      subject: this.text(c.subject),
      // A secret change's values are never shown: they stay as they are, unread.
      ...(c.secret ? {} : { before: text(c.before), after: text(c.after) }),
      ...(c.reason !== undefined ? { reason: this.text(c.reason) } : {}),
    };
  }
}

/** What a result may show: secrets masked, and with no_log, no output at all (its changes counted, its status kept). */
export function shieldResult(result: TaskResult, mask: Masker, noLog: boolean): TaskResult {
  const r: TaskResult = {
    ...result,
    name: mask.text(result.name),
    ...(result.item !== undefined ? { item: mask.text(result.item) } : {}),
    ...(result.error !== undefined ? { error: mask.text(result.error) } : {}),
    ...(result.reason !== undefined ? { reason: mask.text(result.reason) } : {}),
    ...(result.after !== undefined ? { after: { ...result.after, name: mask.text(result.after.name) } } : {}),
    changes: result.changes.map((c) => mask.change(c)),
  };
  if (!noLog) return r;
  const n = r.changes.length;
  // The label was hidden when the instance was prepared (NO_LOG_LABEL, numbered when a loop has several).
  return {
    ...r,
    ...(r.error !== undefined ? { error: NO_LOG_OUTPUT } : {}),
    // What changed is hidden; that something did (and how many things) is not.
    changes: n === 0 ? [] : [{ subject: NO_LOG_OUTPUT, kind: 'run', reason: `${n} change${n === 1 ? '' : 's'}` }],
  };
}

/** Every scalar in a value, as text. */
function leaves(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap(leaves);
  if (typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...leaves(x)]);
  return [toText(v)];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
