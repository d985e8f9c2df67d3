// file: a file's whole content (`content:` or a `template:` file rendered with the
// host's variables), or some of its lines (`lines:` — a line matched by a regular
// expression is replaced, or added when absent; the rest is untouched); owner, group,
// mode. Writes are atomic; `backup` keeps the old version; `validate` checks the new one.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { defineTask, ProbeFailed, type Change } from '../../src/module.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import { atomicWriteScript, fileMetadataScript, inParentOf, stagedReplaceScript } from '../lib/atomic.ts';
import { probeInParentOf, refuseUnsafe } from '../lib/safe-path.ts';
import { isHostRendered, type HostRendered } from '../../src/module.ts';
import { loadTemplate } from '../lib/template-file.ts';
import { absolutePath } from '../lib/words.ts';
import { metadataChanges, ownership, parseStat } from '../lib/metadata.ts';


const lineRule = z
  .object({
    regexp: z.string().describe('a JavaScript regular expression matched against each line'),
    line: z.string().refine((l) => !l.includes('\n'), 'one line, without a newline'),
  })
  .strict();

const params = z
  .object({
    path: absolutePath,
    state: z.enum(['present', 'absent']).default('present'),
    content: z
      .union([z.string(), z.custom<HostRendered>(isHostRendered)])
      .optional()
      .describe('the whole content of the file'),
    src: z
      .string()
      .optional()
      .describe("a file of the controller's, copied byte for byte (beside the playbook, or in a role's files/); compared by SHA-256, streamed"),
    src_sha256: z.string().regex(/^[0-9a-f]{64}$/).optional().describe('(filled in from src when the playbook is read)'),
    src_size: z.number().int().min(0).optional().describe('(filled in from src when the playbook is read)'),
    template: z.string().optional().describe('a Jinja2 template, found and rendered as the template module’s src (tend’s own; the template module is Ansible’s)'),
    lines: z.array(lineRule).min(1).optional().describe('lines that must be present (replacing the line their regexp matches)'),
    create: z.boolean().default(true).describe('with lines: create the file when missing'),
    backup: z.boolean().default(false).describe('keep the previous version as PATH.DATE~'),
    validate: z.string().optional().describe('command run on the new content before it replaces the old; %s is its path'),
    secret: z.boolean().default(false).describe('never show the content (diffs print "(secret)")'),
    follow: z
      .boolean()
      .default(false)
      .describe('when path is a symbolic link, manage the file it points to (otherwise a link there is refused)'),
    ...ownership,
  })
  .strict()
  .refine((p) => [p.content, p.template, p.lines, p.src].filter((x) => x !== undefined).length <= 1, 'give one of content, template, lines or src')
  .refine((p) => (p.src_sha256 === undefined && p.src_size === undefined) || p.src !== undefined, 'src_sha256 and src_size come from src')
  .refine((p) => p.validate === undefined || p.validate.includes('%s'), 'validate must contain %s (the new file’s path)');

type Params = z.output<typeof params>;

/**
 * `src:` found (beside the playbook, or in a role's files/) and hashed when the playbook is
 * read: a few chunks at a time, so a large file costs no more memory than a small one.
 */
function resolveSource(raw: Record<string, unknown>, baseDir: string): Record<string, unknown> {
  const src = raw.src as string;
  const candidates = isAbsolute(src) ? [src] : [join(baseDir, src), join(dirname(baseDir), 'files', src)];
  const file = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  if (!file) throw new Error(`src ${src}: no such file (looked at ${candidates.join(', ')})`);
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(1 << 20);
  const fd = openSync(file, 'r');
  let size = 0;
  try {
    for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; size += n) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return { ...raw, src: file, src_sha256: hash.digest('hex'), src_size: size };
}

/**
 * Applies line rules to a text: each rule replaces the last line its regexp matches, or
 * is appended when none does. A text the rules do not alter comes back unchanged.
 */
export function applyLines(text: string, rules: readonly { regexp: string; line: string }[]): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  let modified = false;
  for (const rule of rules) {
    const re = new RegExp(rule.regexp);
    let at = -1;
    lines.forEach((l, i) => {
      if (re.test(l)) at = i;
    });
    if (at >= 0 && lines[at] === rule.line) continue;
    if (at < 0 && lines.includes(rule.line)) continue;
    if (at >= 0) lines[at] = rule.line;
    else lines.push(rule.line);
    modified = true;
  }
  return modified ? `${lines.join('\n')}\n` : text;
}

export default defineTask({
  name: 'file',
  summary: 'a file has the given content or lines, owner, group and mode (written atomically)',
  params,
  example: `file:\n  path: /etc/postfix/sasl/smtpd.conf\n  content: |\n    pwcheck_method: saslauthd\n    mech_list: plain login\n  mode: "0644"`,
  secretValues: (p) => (p.secret ? [...(typeof p.content === 'string' ? [p.content] : []), ...(p.lines ?? []).map((l) => l.line)] : []),
  resolve: (raw, { baseDir }) => {
    if (typeof raw.src === 'string' && !raw.src.includes('{{')) return resolveSource(raw, baseDir);
    if (typeof raw.template !== 'string') return raw;
    const { template: _template, ...rest } = raw;
    if (rest.content !== undefined) throw new Error('give one of content, template or lines');
    // Rendered as the template module renders its src (a template file, not a task argument).
    return { ...rest, content: loadTemplate(raw.template, baseDir, raw) };
  },
  // Three sections, each read in the directory holding path, reached by the safe walk:
  // what stands at path (`link TARGET` for a symlink, with the resolved path), its stat
  // line (of the link's target with follow), and the content.
  probe: (p) => [
    probeInParentOf(
      p.path,
      sh`if [ -L "$tend_name" ]; then printf 'link %s\\n' "$(readlink -f -- "$tend_name")"; else echo plain; fi`,
      sh`echo plain`,
    ),
    probeInParentOf(
      p.path,
      sh`if [ -d "$tend_name" ] && [ ! -L "$tend_name" ]; then echo directory; exit 0; fi
if [ -e "$tend_name" ] || [ -L "$tend_name" ]; then stat -c '%F|%U|%G|%a' -- "$tend_name"; else echo missing; fi`,
      sh`echo missing`,
      { follow: p.follow },
    ),
    p.state === 'present' && p.src !== undefined
      ? probeInParentOf(p.path, sh`if [ -f "$tend_name" ]; then sha256sum -- "$tend_name"; fi`, sh`:`, { follow: p.follow, quiet: true })
      : p.state === 'present' && (p.content !== undefined || p.lines !== undefined)
        ? probeInParentOf(p.path, sh`if [ -f "$tend_name" ]; then cat -- "$tend_name"; fi`, sh`:`, { follow: p.follow, quiet: true })
        : sh`true`,
  ],
  plan: (p: Params, probed) => {
    if (probed.code !== 0) throw new ProbeFailed(probed.stderr.trim() || `probe exited ${probed.code}`);
    const [standing = '', statLine = '', current = ''] = probed.sections;
    refuseUnsafe(standing);
    // With follow, the link's target may be unsafe where the link itself was not.
    refuseUnsafe(statLine);
    const link = /^link (.*)$/.exec(standing.trim());
    if (link && p.state === 'present' && !p.follow) {
      throw new Error(`${p.path} is a symbolic link (to ${link[1]}); set follow: true to manage the file it points to`);
    }
    // With follow, the file is the link's target: shown by its resolved path, reached at
    // apply time by the same safe walk, told to follow the link.
    const path = link && p.follow && p.state === 'present' ? link[1]! : p.path;
    const walk = { follow: p.follow && p.state === 'present' };
    const shownPath = path === p.path ? undefined : path;
    if (statLine.trim() === 'directory' && !(link && p.state === 'absent')) throw new Error(`${path} is a directory, not a file`);
    const have = parseStat(statLine);
    const exists = have.type !== null;
    const want = { owner: p.owner, group: p.group, mode: p.mode };
    // A secret file is never readable by others, from its first byte.
    const newFileMode = p.secret ? '0600' : undefined;

    if (p.state === 'absent') {
      if (!exists && !link) return { changes: [], commands: [] };
      // A link is removed itself, never what it points to.
      const before = link ? `symlink to ${link[1]}` : 'file';
      return { changes: [{ subject: p.path, kind: 'remove', before, after: null }], commands: [inParentOf(p.path, sh`rm -f -- "$tend_name"`)] };
    }
    if (exists && have.type !== 'regular file' && have.type !== 'regular empty file') {
      throw new Error(`${path} is a ${have.type}, not a regular file`);
    }
    if (p.src !== undefined && p.src_sha256 === undefined) throw new Error(`src ${p.src}: must name a file when the playbook is read (no templates)`);
    if (p.src !== undefined) {
      // Compared by hash, copied by streaming: binary files and large ones alike.
      const haveHash = exists ? current.trim().split(/\s+/)[0] : undefined;
      if (!exists || haveHash !== p.src_sha256) {
        const short = (h: string | undefined) => (h ? `sha256 ${h.slice(0, 12)}…` : null);
        return {
          changes: [
            { subject: path, kind: 'set', before: exists ? short(haveHash) : null, after: `${short(p.src_sha256)} (${p.src_size} bytes from ${p.src})`, reason: exists ? 'content differs' : 'new file' },
            ...(exists ? metadataChanges(path, have, want) : []),
          ],
          commands: [],
          upload: { file: p.src, script: stagedReplaceScript({ path: p.path, ...walk, shownPath, produce: sh`cat > new`, want, exists, backup: p.backup, validate: p.validate, newFileMode }) },
        };
      }
    }
    if (isHostRendered(p.content)) throw new Error(`template ${p.template ?? ''}: not rendered for this host`);
    let wanted: string | undefined = p.content;
    if (p.lines !== undefined) {
      if (!exists && !p.create) throw new ProbeFailed(`${path} does not exist (and create is false)`);
      wanted = applyLines(exists ? current : '', p.lines);
    }
    const changes: Change[] = [];
    const commands: ShellText[] = [];
    const contentDiffers = wanted !== undefined && (!exists || wanted !== current);
    if (contentDiffers || (!exists && wanted === undefined)) {
      changes.push({
        subject: path,
        kind: 'content',
        before: exists ? current : null,
        after: wanted ?? '',
        secret: p.secret,
        ...(exists ? {} : { reason: 'new file' }),
      });
      changes.push(...(exists ? metadataChanges(path, have, want) : []));
      commands.push(atomicWriteScript({ path: p.path, ...walk, shownPath, content: wanted ?? '', want, exists, backup: p.backup, validate: p.validate, newFileMode }));
      return { changes, commands };
    }
    const meta = metadataChanges(path, have, want);
    // Through a hard link in our staging directory: a link swapped in since the probe is refused.
    if (meta.length > 0) commands.push(fileMetadataScript(p.path, want, walk));
    return { changes: meta, commands };
  },
});
