// Text a host controls (facts, file contents in diffs, command output, error messages)
// is shown, never obeyed: control characters would let a host move the cursor, rewrite
// earlier lines, retitle the window or write the clipboard (OSC 52). They are printed
// as visible escapes; newlines and tabs stay. The JSON report keeps the exact bytes;
// the HTML page escapes them as markup.
//
// Where: every printer of the human reports (recap.ts, plain.ts, live.ts) passes the
// results it is given through `printableAll` before it reads them, so no field, today's
// or one added later, reaches the terminal raw; tend's own colours are added after.

// C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides
// that make text read differently from what it is.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** Idempotent: what it returns has no character it would change. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    if (c === '\r') return '\\r';
    if (c === '\x1b') return '\\e';
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** One-line text (a name, a subject, an item): a newline or tab in it is escaped too, so it cannot forge a line of output. */
export function printableLine(text: string): string {
  return printable(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

// The fields of a result that are several lines by nature: error text, file contents.
const MULTI_LINE = new Set(['error', 'before', 'after']);

/**
 * A copy of a result (a run, a host, a task) with every string in it printable, one-line
 * fields on one line; the original is untouched.
 */
export function printableAll<T>(value: T, key?: string): T {
  if (typeof value === 'string') return (key !== undefined && MULTI_LINE.has(key) ? printable(value) : printableLine(value)) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => printableAll(v)) as T;
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties: a key named __proto__ stays a key.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printableAll(v, k)])) as T;
  }
  return value;
}
