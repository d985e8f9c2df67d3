// postconf: Postfix main.cf parameters have the given values, and master.cf services
// exist with the given columns and -o options. Compared against the effective values
// (`postconf NAME`, `postconf -M`, `postconf -P`), so a wanted value equal to Postfix's
// default is already in sync; written with `postconf -e`, `-Me` and `-Pe`.
import { z } from 'zod';
import { defineTask, ProbeFailed, type Change } from '../../src/module.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import { absolutePath, oneLine } from '../lib/words.ts';

const parameterName = z.string().regex(/^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$/, 'a Postfix parameter name (letters, digits, _ . -; not starting with -)');
const value = z
  .union([z.string(), z.number(), z.boolean()])
  .transform((v) => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v)))
  .pipe(oneLine);

const service = z
  .object({
    entry: oneLine
      .describe('the master.cf columns after service and type: private unpriv chroot wakeup maxproc command [args]')
      .refine((e) => e.trim().split(/\s+/).length >= 6, 'six columns or more: private unpriv chroot wakeup maxproc command'),
    options: z.record(parameterName, value).default({}).describe('-o name=value overrides'),
  })
  .strict();

const params = z
  .object({
    settings: z.record(parameterName, value).default({}).describe('main.cf parameter → value ("" is a value)'),
    services: z
      .record(z.string().regex(/^[A-Za-z0-9_.:[\]][A-Za-z0-9_.:[\]-]*\/(inet|unix|unix-dgram|fifo|pass)$/, 'SERVICE/TYPE, like submission/inet'), service)
      .default({})
      .describe('master.cf entries, keyed SERVICE/TYPE'),
    config_dir: absolutePath.default('/etc/postfix'),
  })
  .strict();

/** `name = value` lines → map. Postfix prints an empty value as `name =`. */
export function parsePostconf(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^([A-Za-z0-9_./:[\]-]+) =(?: (.*))?$/.exec(line);
    if (m) values.set(m[1]!, m[2] ?? '');
  }
  return values;
}

/** `postconf -M` lines → SERVICE/TYPE → the columns after type, without -o options. */
export function parseMasterEntries(stdout: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words.length < 8) continue;
    const [name, type, ...rest] = words;
    const columns: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '-o' && i >= 5) {
        i++;
        continue;
      }
      columns.push(rest[i]!);
    }
    entries.set(`${name}/${type}`, columns.join(' '));
  }
  return entries;
}

export default defineTask({
  name: 'postconf',
  summary: 'Postfix main.cf parameters and master.cf services have the given values (postconf -e, -Me, -Pe)',
  params,
  example: `postconf:\n  settings:\n    smtpd_sasl_auth_enable: "yes"\n    smtpd_sasl_local_domain: ""\n  services:\n    submission/inet:\n      entry: n - y - - smtpd\n      options: { smtpd_sasl_auth_enable: "yes" }`,
  probe: (p) => {
    const names = Object.keys(p.settings);
    const services = Object.keys(p.services);
    return [
      sh`command -v postconf >/dev/null || { echo 'postconf not found: is postfix installed?' >&2; exit 127; }
${names.length > 0 ? sh`postconf -c ${p.config_dir} -- ${names}` : sh`true`}; true`,
      services.length > 0 ? sh`postconf -c ${p.config_dir} -M -- ${services} 2>/dev/null; true` : sh`true`,
      services.length > 0 ? sh`postconf -c ${p.config_dir} -P -- ${services} 2>/dev/null; true` : sh`true`,
    ];
  },
  plan: (p, probed) => {
    if (probed.code !== 0) throw new ProbeFailed(probed.stderr.trim() || `postconf exited ${probed.code}`);
    const [mainText = '', masterText = '', optionsText = ''] = probed.sections;
    const current = parsePostconf(mainText);
    const entries = parseMasterEntries(masterText);
    const options = parsePostconf(optionsText);
    const changes: Change[] = [];
    const commands: ShellText[] = [];

    const assignments: string[] = [];
    for (const [name, want] of Object.entries(p.settings)) {
      const have = current.get(name);
      if (have !== want) {
        changes.push({ subject: name, kind: 'set', before: have ?? null, after: want });
        assignments.push(`${name} = ${want}`);
      }
    }
    if (assignments.length > 0) commands.push(sh`postconf -c ${p.config_dir} -e -- ${assignments}`);

    const entryEdits: string[] = [];
    const optionEdits: string[] = [];
    for (const [key, svc] of Object.entries(p.services)) {
      const wantEntry = svc.entry.trim().split(/\s+/).join(' ');
      const haveEntry = entries.get(key);
      const [name, type] = key.split('/');
      if (haveEntry !== wantEntry) {
        changes.push({ subject: `master.cf ${key}`, kind: 'set', before: haveEntry ?? null, after: wantEntry });
        entryEdits.push(`${key}=${name} ${type} ${wantEntry}`);
      }
      for (const [option, want] of Object.entries(svc.options)) {
        const have = haveEntry === undefined ? undefined : options.get(`${key}/${option}`);
        if (have !== want) {
          changes.push({ subject: `master.cf ${key} -o ${option}`, kind: 'set', before: have ?? null, after: want });
          optionEdits.push(`${key}/${option}=${want}`);
        }
      }
    }
    if (entryEdits.length > 0) commands.push(sh`postconf -c ${p.config_dir} -Me -- ${entryEdits}`);
    if (optionEdits.length > 0) commands.push(sh`postconf -c ${p.config_dir} -Pe -- ${optionEdits}`);
    return { changes, commands };
  },
});
