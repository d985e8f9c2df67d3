// sysctl: a kernel parameter has a value — written to a drop-in under /etc/sysctl.d (so it
// holds after a reboot) and applied to the running kernel. In sync only when both the
// file and the running value say so; values are compared as the kernel prints them
// (whitespace between fields folded).
import { z } from 'zod';
import { defineTask, type Change } from '../../src/module.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import { atomicWriteScript } from '../lib/atomic.ts';
import { wholeFileProbe, wholeFileText } from '../lib/whole-file.ts';

const params = z
  .object({
    name: z.string().regex(/^[a-z0-9_]+([./][A-Za-z0-9_*-]+)+$/, 'a kernel parameter such as net.ipv4.ip_forward or vm.swappiness'),
    value: z
      .union([z.string(), z.number()])
      .transform((v) => String(v).trim().replace(/\s+/g, ' '))
      .refine((v) => v !== '' && !/[\n\r\0#;]/.test(v), 'one line, without # or ;'),
    file: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\.conf$/, 'a file name in /etc/sysctl.d ending in .conf')
      .default('60-tend.conf')
      .describe('the drop-in under /etc/sysctl.d that holds the setting'),
    reload: z.boolean().default(true).describe('apply it to the running kernel too'),
  })
  .strict();

const DIR = '/etc/sysctl.d';

/** The drop-in's lines with `name` set to `value`: replaced where it is, else added. */
export function withSetting(current: string, name: string, value: string): string {
  const lines = current === '' ? [] : current.replace(/\n$/, '').split('\n');
  const at = lines.findIndex((l) => l.split('=')[0]!.trim() === name);
  const line = `${name} = ${value}`;
  if (at >= 0) lines[at] = line;
  else lines.push(line);
  return `${lines.join('\n')}\n`;
}

function keyPath(name: string): string {
  return `/proc/sys/${name.replace(/\./g, '/')}`;
}

export default defineTask({
  name: 'sysctl',
  summary: 'a kernel parameter has a value: in a drop-in under /etc/sysctl.d, and in the running kernel',
  params,
  example: `sysctl:\n  name: vm.swappiness\n  value: 10`,
  probe: (p) => [
    // The running value. Not with the shell's read: dash reads a byte at a time, and
    // /proc/sys answers only the first read.
    sh`if [ -r ${keyPath(p.name)} ]; then cat -- ${keyPath(p.name)}; else echo '(none)'; fi`,
    wholeFileProbe(`${DIR}/${p.file}`),
  ],
  plan: (p, probed) => {
    const [runningText = '', fileText = ''] = probed.sections;
    const found = wholeFileText(fileText);
    const exists = found !== null;
    const file = found ?? '';
    const running = runningText.trim().replace(/\s+/g, ' ');
    const changes: Change[] = [];
    const commands: ShellText[] = [];
    const wanted = withSetting(file, p.name, p.value);
    if (running === '(none)') throw new Error(`${p.name}: no such kernel parameter on this host (${keyPath(p.name)})`);
    if (wanted !== file) {
      const before = file.split('\n').find((l) => l.split('=')[0]!.trim() === p.name);
      changes.push({ subject: `${DIR}/${p.file}: ${p.name}`, kind: 'set', before: before ? before.split('=').slice(1).join('=').trim() : null, after: p.value });
      commands.push(atomicWriteScript({ path: `${DIR}/${p.file}`, content: wanted, want: { owner: 'root', group: 'root', mode: '0644' }, exists }));
    }
    if (p.reload && running !== p.value) {
      changes.push({ subject: `${p.name} (running)`, kind: 'set', before: running, after: p.value });
      commands.push(sh`sysctl -q -w ${`${p.name}=${p.value}`}`);
    }
    return { changes, commands };
  },
});
