// debconf: answers to a package's installation questions, preseeded before the package
// is installed (debconf-set-selections).
//
// Idempotence: some packages rewrite answers in their own scripts — postfix's postinst
// normalises `postfix/destinations` — so the database never equals what was seeded, and
// a naive compare reports a change on every run. tend records a digest of each answer it
// seeded (/var/lib/tend/debconf/PACKAGE); an answer is in sync when the database holds it,
// or when tend seeded exactly this answer before and the package has since rewritten it.
// Password answers get no record: a digest of a password is a way to guess it.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineTask, ProbeFailed, type Change } from '../../src/module.ts';
import { sh, type ShellText } from '../../src/shell.ts';

const answer = z
  .object({
    type: z.enum(['select', 'multiselect', 'string', 'boolean', 'password', 'note', 'text']),
    value: z.union([z.string(), z.boolean(), z.number()]).transform((v) => String(v)),
  })
  .strict();

const params = z
  .object({
    package: z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, 'a Debian package name'),
    answers: z.record(z.string().regex(/^[A-Za-z0-9_.+-]+\/[A-Za-z0-9_./+-]+$/, 'a question like postfix/mailname'), answer),
  })
  .strict()
  .refine((p) => Object.values(p.answers).every((a) => !/[\n\r\0]/.test(a.value)), 'debconf answers are one line each');

export const STATE_DIR = '/var/lib/tend/debconf';
const CONFIG_DAT = '/var/cache/debconf/config.dat';
const PASSWORDS_DAT = '/var/cache/debconf/passwords.dat';

/**
 * debconf-communicate's GET answers from its rfc822-style files: `0 VALUE` for a question
 * the database has (an empty value when it has none yet), `10 …` for one it does not.
 * Passwords live in passwords.dat (root only), read after config.dat.
 */
const READ_ANSWERS = `BEGIN { n = split(qs, want, " ") }
/^Name: / { name = substr($0, 7); known[name] = 1; next }
/^Value: / { if (name != "") value[name] = substr($0, 8); next }
/^Value:$/ { if (name != "") value[name] = ""; next }
/^$/ { name = "" }
END { for (i = 1; i <= n; i++) { q = want[i]; if (q in known) print "0 " value[q]; else print "10 " q " doesn't exist" } }`;

export function digest(question: string, type: string, value: string): string {
  return createHash('sha256').update(`${question}\0${type}\0${value}`).digest('hex').slice(0, 32);
}

/** debconf-communicate answers: `0 value` per GET, `10 …` when the question does not exist. */
export function parseDebconfProbe(sections: readonly string[], questions: string[]): { current: Map<string, string | null>; seeded: Set<string> } {
  const [answers = '', recorded = ''] = sections;
  const current = new Map<string, string | null>();
  answers
    .split('\n')
    .slice(0, questions.length)
    .forEach((line, i) => {
      const m = /^(\d+)(?: (.*))?$/.exec(line);
      current.set(questions[i]!, m && m[1] === '0' ? (m[2] ?? '') : null);
    });
  return { current, seeded: new Set(recorded.split('\n').filter(Boolean)) };
}

export default defineTask({
  name: 'debconf',
  summary: "a package's installation questions have the given answers (preseeded; stays idempotent when the package rewrites them)",
  params,
  example: `debconf:\n  package: postfix\n  answers:\n    postfix/main_mailer_type: { type: select, value: Internet Site }\n    postfix/mailname: { type: string, value: mail.example.org }`,
  secretValues: (p) => Object.values(p.answers).flatMap((a) => (a.type === 'password' ? [a.value] : [])),
  probe: (p) => {
    const questions = Object.keys(p.answers);
    const gets = questions.map((q) => `GET ${q}\n`).join('');
    const passwords = Object.values(p.answers).some((a) => a.type === 'password');
    return [
      // debconf's own files, read by awk (a few ms), answer as debconf-communicate (a perl
      // interpreter: tens of ms) would; where they are not the Debian default, ask it.
      sh`if [ -r ${CONFIG_DAT} ] && { [ ! -e /etc/debconf.conf ] || grep -q '^Filename: ${CONFIG_DAT}$' /etc/debconf.conf; }; then
  awk -v qs=${questions.join(' ')} ${READ_ANSWERS} ${CONFIG_DAT} ${passwords ? sh`$([ -r ${PASSWORDS_DAT} ] && echo ${PASSWORDS_DAT})` : sh``}
else
  command -v debconf-communicate >/dev/null || { echo 'debconf-communicate not found' >&2; exit 127; }
  printf '%s' ${gets} | DEBIAN_FRONTEND=noninteractive debconf-communicate -- ${p.package} 2>/dev/null; true
fi`,
      sh`cat -- ${`${STATE_DIR}/${p.package}`} 2>/dev/null; true`,
    ];
  },
  plan: (p, probed) => {
    if (probed.code !== 0) throw new ProbeFailed(probed.stderr.trim() || `probe exited ${probed.code}`);
    const questions = Object.keys(p.answers);
    const { current, seeded } = parseDebconfProbe(probed.sections, questions);
    const changes: Change[] = [];
    const selections: string[] = [];
    for (const [question, { type, value }] of Object.entries(p.answers)) {
      const have = current.get(question) ?? null;
      // Password answers have no record (a digest of a password is a way to guess it):
      // they are in sync only when the database holds them.
      const mark = type === 'password' ? undefined : digest(question, type, value);
      const inSync = have === value || (mark !== undefined && seeded.has(mark) && have !== null);
      if (inSync) continue;
      const secret = type === 'password';
      changes.push({ subject: question, kind: 'set', before: have, after: value, secret });
      selections.push(`${p.package} ${question} ${type} ${value}`);
    }
    if (changes.length === 0) return { changes, commands: [] };
    const marks = Object.entries(p.answers)
      .filter(([, a]) => a.type !== 'password')
      .map(([q, a]) => digest(q, a.type, a.value));
    const commands: ShellText[] = [
      sh`printf '%s\\n' ${selections} | debconf-set-selections`,
      sh`mkdir -p -m 0700 ${STATE_DIR} && printf '%s\\n' ${marks} > ${`${STATE_DIR}/${p.package}`}`,
    ];
    return { changes, commands };
  },
});
