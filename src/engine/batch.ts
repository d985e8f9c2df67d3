// Many probes, one round trip: consecutive tasks' probe snippets travel in one script,
// each in its own subshell, and come back between boundary lines that carry a random
// token, so no output (binary, trailing newlines, lines that look like markers) can be
// mistaken for the frame. Framing costs one fork per probe and shell builtins only —
// no wc, no cat — since a converged host's whole run is this one script.
import { randomBytes } from 'node:crypto';
import { lines, sh, ShellText } from '../shell.ts';
import { probedFrom, type Probed } from '../module.ts';

export interface ProbeBatch {
  script: ShellText;
  parse(stdout: Buffer): Probed[];
}

/** A task's probe: one snippet, or several whose outputs stay apart (`Probed.sections`). */
export type ProbeScript = ShellText | readonly ShellText[];

interface Framed {
  code: number;
  stdout: string;
  stderr: string;
  cpuMs?: number;
}

/** Children's user+system milliseconds from the second line of `times` (`0m0.010000s 0m0.004000s`). */
function childrenCpuMs(times: string): number {
  const second = times.split('\n')[1] ?? '';
  const values = [...second.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60_000 + Number(m[2]) * 1000);
  if (values.length !== 2) throw new Error(`probe output is garbled: 'times' printed '${times.slice(0, 80)}'`);
  return values[0]! + values[1]!;
}

const PREAMBLE = sh`export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;

/**
 * With `measure`, the shell's `times` (a builtin: no fork) is printed before the first
 * probe and after each one: the growth of its children's user+system time is the CPU
 * the probe's subshell and everything it ran cost the host (in clock ticks, 10 ms here).
 */
export function probeBatch(probes: readonly ProbeScript[], token = randomBytes(12).toString('hex'), measure = false): ProbeBatch {
  const mark = `@@${token}`;
  const cpu = (label: string) => (measure ? `\nprintf '%s\\n' '${mark} ${label}'; times` : '');
  const snippets = probes.map((p) => (p instanceof ShellText ? [p] : [...p]));
  const flat = snippets.flat();
  const parts = flat.map(
    (probe, i) => new ShellText(`printf '%s\\n' '${mark} ${i} out'
(
${probe.text}
) 2>"$__t/e" </dev/null
printf '\\n%s %s\\n' '${mark} ${i} end' "$?"
if [ -s "$__t/e" ]; then printf '%s\\n' '${mark} ${i} err'; cat "$__t/e"; printf '\\n%s\\n' '${mark} ${i} errend'; fi${cpu(`${i} cpu`)}`),
  );
  // A signal ends the script through its EXIT trap, so the scratch directory goes too.
  const script = lines([
    PREAMBLE,
    sh`__t=$(mktemp -d) || exit 90`,
    sh`trap 'rm -rf "$__t"' EXIT`,
    sh`trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM`,
    ...(measure ? [new ShellText(cpu('cpu').trimStart())] : []),
    ...parts,
  ]);
  const parse = (stdout: Buffer): Probed[] => {
    const framed = parseFramed(stdout, flat.length, mark, measure);
    let next = 0;
    return snippets.map((group) => {
      const outs = framed.slice(next, (next += group.length));
      const code = outs.find((o) => o.code !== 0)?.code ?? 0;
      const probed = probedFrom(
        outs.map((o) => o.stdout),
        code,
        outs.map((o) => o.stderr).join(''),
      );
      return measure ? { ...probed, cpuMs: outs.reduce((sum, o) => sum + (o.cpuMs ?? 0), 0) } : probed;
    });
  };
  return { script, parse };
}

function parseFramed(buffer: Buffer, count: number, mark: string, measure = false): Framed[] {
  const text = buffer.toString('latin1'); // one char per byte: offsets stay byte offsets
  const results: Framed[] = [];
  let pos = 0;
  const expect = (literal: string) => {
    if (!text.startsWith(literal, pos)) {
      throw new Error(`probe output is garbled at byte ${pos}: '${text.slice(pos, pos + 60)}'`);
    }
    pos += literal.length;
  };
  const until = (literal: string): string => {
    const at = text.indexOf(literal, pos);
    if (at < 0) throw new Error(`probe output ends early: no '${literal.trim()}'`);
    const body = text.slice(pos, at);
    pos = at + literal.length;
    return body;
  };
  const utf8 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');
  /** The two lines `times` printed after `label`. */
  const times = (label: string): number => {
    expect(`${mark} ${label}\n`);
    const first = until('\n');
    return childrenCpuMs(`${first}\n${until('\n')}`);
  };
  let cpuBefore = measure ? times('cpu') : 0;
  for (let i = 0; i < count; i++) {
    if (pos >= text.length) throw new Error(`expected ${count} probe results, got ${i}`);
    expect(`${mark} ${i} out\n`);
    const stdout = until(`\n${mark} ${i} end `);
    const code = Number(until('\n'));
    let stderr = '';
    if (text.startsWith(`${mark} ${i} err\n`, pos)) {
      expect(`${mark} ${i} err\n`);
      stderr = until(`\n${mark} ${i} errend\n`);
    }
    const result: Framed = { code, stdout: utf8(stdout), stderr: utf8(stderr) };
    if (measure) {
      const cpuAfter = times(`${i} cpu`);
      result.cpuMs = Math.max(0, Math.round(cpuAfter - cpuBefore));
      cpuBefore = cpuAfter;
    }
    results.push(result);
  }
  return results;
}

/** The commands of one task as one script that stops at the first failing command. */
export function applyScript(commands: readonly ShellText[]): ShellText {
  return lines([PREAMBLE, ...commands.map((c) => new ShellText(`{\n${c.text}\n} || exit $?`))]);
}
