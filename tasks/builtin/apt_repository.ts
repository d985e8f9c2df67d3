// apt_repository: an APT source as a deb822 file (/etc/apt/sources.list.d/NAME.sources)
// with its signing key beside it (/etc/apt/keyrings/NAME.asc, named by Signed-By), or
// neither. The package lists are refreshed in the same step, and only when the source
// or its key changed: a converged host never pays for an `apt-get update`.
import { z } from 'zod';
import { defineTask, type Change } from '../../src/module.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import { atomicWriteScript, inParentOf } from '../lib/atomic.ts';
import { wholeFileProbe, wholeFileText } from '../lib/whole-file.ts';
import { oneLine } from '../lib/words.ts';

const word = z.string().regex(/^[A-Za-z0-9./][A-Za-z0-9._~+:/-]*$/, 'one word (no spaces, not starting with -)');

const params = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a file name: lower-case letters, digits, _ and -').describe('names the .sources file (and the key)'),
    state: z.enum(['present', 'absent']).default('present'),
    uris: z.array(oneLine.pipe(z.string().regex(/^(https?|file|cdrom|tor\+https?|mirror\+https?):\S+$/, 'a repository URI (https://…, file:…)'))).min(1).optional(),
    suites: z.array(word).min(1).optional().describe('e.g. [bookworm] or [./] for a flat repository'),
    components: z.array(word).default([]).describe('e.g. [main]; none for a flat repository'),
    types: z.array(z.enum(['deb', 'deb-src'])).default(['deb']),
    architectures: z.array(word).optional(),
    key: z
      .string()
      .refine((k) => k.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----'), 'key: an ASCII-armored public key (-----BEGIN PGP PUBLIC KEY BLOCK-----)')
      .optional()
      .describe('the signing key, written to /etc/apt/keyrings/NAME.asc and named by Signed-By'),
    trusted: z.boolean().default(false).describe('Trusted: yes — no signature checked (a local or test repository only)'),
    update_cache: z.boolean().default(true).describe('refresh the package lists when the source or key changed'),
  })
  .strict()
  .refine((p) => p.state === 'absent' || (p.uris !== undefined && p.suites !== undefined), 'a present repository needs uris and suites')
  .refine((p) => p.state === 'absent' || p.key !== undefined || p.trusted, 'give key (its Signed-By), or trusted: true for an unsigned local repository');

type Params = z.output<typeof params>;
const SOURCES = '/etc/apt/sources.list.d';
const KEYRINGS = '/etc/apt/keyrings';

/** The .sources file as deb822 stanza, fields in apt's documented order. */
export function sourcesFile(p: Params): string {
  const lines = [
    `Types: ${p.types.join(' ')}`,
    `URIs: ${p.uris!.join(' ')}`,
    `Suites: ${p.suites!.join(' ')}`,
    ...(p.components.length > 0 ? [`Components: ${p.components.join(' ')}`] : []),
    ...(p.architectures ? [`Architectures: ${p.architectures.join(' ')}`] : []),
    ...(p.key !== undefined ? [`Signed-By: ${KEYRINGS}/${p.name}.asc`] : []),
    ...(p.trusted ? ['Trusted: yes'] : []),
  ];
  return `${lines.join('\n')}\n`;
}

function keyText(key: string): string {
  return key.endsWith('\n') ? key : `${key}\n`;
}

export default defineTask({
  name: 'apt_repository',
  summary: 'an APT source in deb822 form with its Signed-By key, the package lists refreshed only when it changed',
  params,
  example: `apt_repository:\n  name: example\n  uris: [https://deb.example.org/debian]\n  suites: [bookworm]\n  components: [main]\n  key: "{{ lookup_of_your_key }}"`,
  probe: (p) => [
    wholeFileProbe(`${SOURCES}/${p.name}.sources`),
    wholeFileProbe(`${KEYRINGS}/${p.name}.asc`),
  ],
  plan: (p, probed) => {
    const [sourcesText = '', keyFile = ''] = probed.sections;
    const haveSources = wholeFileText(sourcesText);
    const haveKey = wholeFileText(keyFile);
    const changes: Change[] = [];
    const commands: ShellText[] = [];
    const sourcesPath = `${SOURCES}/${p.name}.sources`;
    const keyPath = `${KEYRINGS}/${p.name}.asc`;
    if (p.state === 'absent') {
      if (haveSources !== null) changes.push({ subject: sourcesPath, kind: 'remove', before: haveSources, after: null });
      if (haveKey !== null) changes.push({ subject: keyPath, kind: 'remove' });
      if (changes.length > 0) commands.push(...[sourcesPath, keyPath].map((path) => inParentOf(path, sh`rm -f -- "$tend_name"`, { missingOk: true })));
    } else {
      if (p.key !== undefined && haveKey !== keyText(p.key)) {
        changes.push({ subject: keyPath, kind: haveKey === null ? 'add' : 'set', reason: haveKey === null ? 'the signing key' : 'another key' });
        commands.push(atomicWriteScript({ path: keyPath, createParents: true, content: keyText(p.key), want: { owner: 'root', group: 'root', mode: '0644' }, exists: haveKey !== null }));
      }
      const wanted = sourcesFile(p);
      if (haveSources !== wanted) {
        changes.push({ subject: sourcesPath, kind: 'content', before: haveSources, after: wanted });
        commands.push(atomicWriteScript({ path: sourcesPath, content: wanted, want: { owner: 'root', group: 'root', mode: '0644' }, exists: haveSources !== null }));
      }
    }
    // The lists follow the sources: refreshed with the change, never on their own.
    if (changes.length > 0 && p.update_cache) commands.push(sh`apt-get update -q -o DPkg::Lock::Timeout=120 >/dev/null`);
    return { changes, commands };
  },
});
