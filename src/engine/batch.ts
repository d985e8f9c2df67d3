// Many probes, one round trip: consecutive tasks' probe snippets travel in one script,
// each in its own subshell, and come back framed by byte counts so any output (binary,
// trailing newlines, stray markers) survives intact.
import { lines, sh, ShellText } from '../shell.ts';
import type { Probed } from './task.ts';

const HEADER = '@@tend-probe';

export function batchProbeScript(probes: readonly ShellText[]): ShellText {
  const parts = probes.map(
    (probe, i) => new ShellText(`(
${probe.text}
) >"$__t/o" 2>"$__t/e" </dev/null; __c=$?
printf '${HEADER} %s %s %s %s\\n' ${i} "$__c" "$(wc -c <"$__t/o")" "$(wc -c <"$__t/e")"
cat "$__t/o" "$__t/e"`),
  );
  return lines([
    sh`export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    sh`__t=$(mktemp -d) || exit 90`,
    sh`trap 'rm -rf "$__t"' EXIT`,
    ...parts,
  ]);
}

export function parseBatchOutput(stdout: Buffer, count: number): Probed[] {
  const results: Probed[] = [];
  let pos = 0;
  while (pos < stdout.length) {
    const eol = stdout.indexOf(0x0a, pos);
    if (eol < 0) break;
    const header = stdout.subarray(pos, eol).toString('latin1').split(' ');
    if (header[0] !== HEADER || header.length !== 5) {
      throw new Error(`probe output is garbled at byte ${pos}: '${stdout.subarray(pos, eol).toString().slice(0, 80)}'`);
    }
    const [, index, code, outBytes, errBytes] = header.map(Number) as [number, number, number, number, number];
    const start = eol + 1;
    results[index] = {
      code,
      stdout: stdout.subarray(start, start + outBytes).toString('utf8'),
      stderr: stdout.subarray(start + outBytes, start + outBytes + errBytes).toString('utf8'),
    };
    pos = start + outBytes + errBytes;
  }
  if (results.length !== count || results.some((r) => r === undefined)) {
    throw new Error(`expected ${count} probe results, got ${results.filter(Boolean).length}`);
  }
  return results;
}

/** The commands of one task as one script that stops at the first failing command. */
export function applyScript(commands: readonly ShellText[]): ShellText {
  return lines([
    sh`export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    ...commands.map((c) => new ShellText(`{\n${c.text}\n} || exit $?`)),
  ]);
}
