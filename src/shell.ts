// The one place that turns values into shell words. Every value that reaches a remote
// shell passes through `quote`; scripts are built with the `sh` tag, which quotes each
// interpolated value and splices already-built ShellText unchanged.

/** Text that is already valid shell: safe to splice into a script as it is. */
export class ShellText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One shell word whose value is exactly `value`, whatever characters it holds. */
export function quote(value: string | number): string {
  const s = String(value);
  if (s.includes('\0')) throw new Error('a shell word cannot contain a NUL byte');
  if (s !== '' && SAFE_WORD.test(s)) return s;
  return `'${s.replaceAll("'", `'"'"'`)}'`;
}

export type ShellValue = string | number | ShellText | readonly (string | number | ShellText)[];

function word(v: string | number | ShellText): string {
  return v instanceof ShellText ? v.text : quote(v);
}

/** Template tag: sh`postconf -h -- ${names}` quotes each value (arrays become several words). */
export function sh(strings: TemplateStringsArray, ...values: ShellValue[]): ShellText {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += Array.isArray(v) ? v.map(word).join(' ') : word(v as string | number | ShellText);
    out += strings[i + 1] ?? '';
  });
  return new ShellText(out);
}

/** Joins snippets, one per line. */
export function lines(parts: readonly ShellText[]): ShellText {
  return new ShellText(parts.map((p) => p.text).join('\n'));
}

/** A here-document carrying `content` verbatim to a command's stdin. */
export function heredoc(command: ShellText, content: string): ShellText {
  let marker = 'TEND_EOF';
  while (content.includes(marker)) marker += '_';
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return new ShellText(`${command.text} <<'${marker}'\n${body}${marker}`);
}
