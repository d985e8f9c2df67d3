// What a playbook, an inventory or -e may ask of the loaders, at most. Past a limit the
// input is refused with the limit's name and where it was crossed: input that would
// otherwise take the controller's memory or time without end (imports that fan out,
// variables that double, expressions nested thousands deep) is nearly always a mistake,
// and never worth a hang.
export const LIMITS = {
  /** Tasks and import_tasks entries in a playbook once its imports are expanded. */
  tasksAndImports: 10000,
  /** Parentheses, brackets, `not` and unary minus inside one another in an expression. */
  expressionNesting: 100,
  /** Operators chained in one expression (`a + b + …`, `x | f | g …`, `a.b.c…`). */
  expressionChain: 1000,
  /** A value an expression or template makes, as text (lists and maps written out). */
  valueBytes: 1024 * 1024,
  /** Variables whose values are templates, each naming the next. */
  variableDepth: 100,
};

/**
 * The size of `value` written out as text — a text by its length, a list or map by its
 * JSON — counted without writing it out, and only up to just past `limit`. A list that
 * holds the same list twice is counted twice, as writing it out would: a value built by
 * doubling is small in memory and huge everywhere it goes next (a command line, a report).
 */
export function sizeWithin(value: unknown, limit = LIMITS.valueBytes): number {
  const seen = new Map<object, number>();
  const size = (v: unknown): number => {
    if (typeof v === 'string') return v.length + 2;
    if (v === null || typeof v !== 'object') return String(v).length;
    const known = seen.get(v);
    if (known !== undefined) return known;
    let total = 2;
    for (const item of Array.isArray(v) ? v : Object.entries(v).flat()) {
      total += size(item) + 1;
      if (total > limit) break;
    }
    seen.set(v, total);
    return total;
  };
  return typeof value === 'string' ? value.length : size(value);
}
