// `tend smoke --junit FILE`: one test suite per host, one test case per step, what CI
// systems show natively. A failure message carries what a host printed, and a host can
// print anything: the file must still be XML 1.0, or the CI system drops the whole
// report. Characters XML 1.0 cannot carry at all (most C0 controls, U+FFFE, U+FFFF, a
// surrogate without its pair) are written as visible escapes (`\x01`, `\ufffe`);
// markup characters and, inside attributes, tab and line breaks become references, so
// a parser gives back the text as it was.

export interface JunitStep {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  detail?: string;
}

export interface JunitHost {
  host: string;
  steps: JunitStep[];
}

/** XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
function xmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

function visibleEscape(code: number): string {
  return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
}

/** Text for an attribute value or element content, in double-quoted attributes too. */
export function xmlText(text: string): string {
  let out = '';
  // Iterating a string walks code points: a pair is one character, a lone surrogate is its own.
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (!xmlChar(code)) out += visibleEscape(code);
    else if (c === '&' || c === '<' || c === '>' || c === '"' || c === "'" || c === '\t' || c === '\n' || c === '\r') out += `&#${code};`;
    else out += c;
  }
  return out;
}

export function junitXml(playbook: string, results: readonly JunitHost[]): string {
  const suites = results.map((r) => {
    const failures = r.steps.filter((s) => s.status === 'failed').length;
    const skipped = r.steps.filter((s) => s.status === 'skipped').length;
    const cases = r.steps.map((s) => {
      const body = s.status === 'failed' ? `<failure message="${xmlText(s.detail ?? 'failed')}"/>` : s.status === 'skipped' ? '<skipped/>' : '';
      return `    <testcase classname="${xmlText(r.host)}" name="${xmlText(s.name)}" time="${(s.durationMs / 1000).toFixed(3)}">${body}</testcase>`;
    });
    return `  <testsuite name="${xmlText(`${playbook} on ${r.host}`)}" tests="${r.steps.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="tend smoke">\n${suites.join('\n')}\n</testsuites>\n`;
}
