// Text a host controls (file contents in diffs, command output, error messages) is
// shown, never obeyed: control characters would let a host move the cursor, rewrite
// earlier lines, retitle the window or write the clipboard (OSC 52). They are printed
// as visible escapes; newlines and tabs stay. The JSON report keeps the exact bytes.

// C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides
// that make text read differently from what it is.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    if (c === '\r') return '\\r';
    if (c === '\x1b') return '\\e';
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
