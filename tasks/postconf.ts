// postconf: Postfix main.cf parameters have the given values. Compared against the
// effective value (`postconf NAME`), so a wanted value equal to Postfix's default is
// already in sync; written with `postconf -e`.
import { z } from 'zod';
import { defineTask, ProbeFailed, type Change } from '../src/engine/task.ts';
import { sh } from '../src/shell.ts';

const parameterName = z.string().regex(/^[a-zA-Z0-9_.-]+$/, 'a Postfix parameter name');
const value = z.union([z.string(), z.number(), z.boolean()]).transform((v) => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v)));

const params = z
  .object({
    settings: z.record(parameterName, value).describe('main.cf parameter → value ("" is a value)'),
    config_dir: z.string().default('/etc/postfix'),
  })
  .strict();

/** `name = value` lines → map. Postfix prints an empty value as `name =`. */
export function parsePostconf(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^([A-Za-z0-9_.-]+) =(?: (.*))?$/.exec(line);
    if (m) values.set(m[1]!, m[2] ?? '');
  }
  return values;
}

export default defineTask({
  name: 'postconf',
  summary: 'Postfix main.cf parameters have the given values (postconf -e)',
  params,
  example: `postconf:\n  settings:\n    smtpd_sasl_auth_enable: "yes"\n    smtpd_sasl_local_domain: ""`,
  probe: (p) => sh`command -v postconf >/dev/null || { echo 'postconf not found: is postfix installed?' >&2; exit 127; }
postconf -c ${p.config_dir} ${Object.keys(p.settings)}`,
  plan: (p, probed) => {
    if (probed.code !== 0) throw new ProbeFailed(probed.stderr.trim() || `postconf exited ${probed.code}`);
    const current = parsePostconf(probed.stdout);
    const changes: Change[] = [];
    for (const [name, want] of Object.entries(p.settings)) {
      const have = current.get(name);
      if (have !== want) changes.push({ subject: name, kind: 'set', before: have ?? null, after: want });
    }
    if (changes.length === 0) return { changes, commands: [] };
    const assignments = changes.map((c) => `${c.subject} = ${c.after}`);
    return { changes, commands: [sh`postconf -c ${p.config_dir} -e ${assignments}`] };
  },
});
