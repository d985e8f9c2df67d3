// copy: a file's whole content from `content`, from a file of the controller's (`src`,
// found in the role's files/, then files/ beside the playbook, then beside it), from a
// file of the host's (`remote_src`), or a directory tree of the controller's (`src` a
// directory: the directory itself into dest, or with a trailing slash what it holds).
// Written as tend writes every file: the safe walk, a private staging directory, owner
// and mode before the first byte, `validate`, `backup` as a hard link, an atomic rename.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { ProbeFailed, type Change, type Plan, type Probed, type TaskModule } from '../../src/module.ts';
import { sh, ShellText } from '../../src/shell.ts';
import { atomicWriteScript, fileMetadataScript } from '../lib/atomic.ts';
import { enterDirectory, probeInParentOf, refuseUnsafe } from '../lib/safe-path.ts';
import { absolutePath } from '../lib/words.ts';
import { metadataChanges, ownership, parseStat } from '../lib/metadata.ts';
import { fileModeParam, isOctalMode, resultingMode } from '../lib/mode.ts';
import { writePlan, writeProbe, type FileWrite } from '../lib/write-file.ts';
import { refuseKeys, refusedKeys } from './file.ts';

const REFUSED_KEYS = ['unsafe_writes', 'attributes', 'attr', 'selevel', 'serole', 'setype', 'seuser', '_original_basename'];

/** A directory tree of the controller's is carried in the task: this much at most. */
export const MAX_TREE_BYTES = 8 * 1024 * 1024;
export const MAX_TREE_ENTRIES = 2000;

const treeFile = z.object({ rel: z.string(), base64: z.string(), sha256: z.string(), sha1: z.string(), size: z.number() }).strict();
const tree = z.object({ dirs: z.array(z.string()), files: z.array(treeFile) }).strict();

const params = z
  .object({
    dest: absolutePath.describe('where the file goes; a directory (or a path ending in /) receives src under its own name'),
    content: z.string().optional().describe('the whole content of the file'),
    src: z.string().min(1).optional().describe("a file or directory of the controller's (role files/, then files/ beside the playbook, then beside it); with remote_src, the host's"),
    remote_src: z.boolean().default(false).describe('src is a file on the host'),
    backup: z.boolean().default(false).describe('keep the previous version as DEST.DATE~ (a hard link)'),
    force: z.boolean().default(true).describe('false: write only when dest does not exist'),
    follow: z.boolean().default(false).describe('a link standing at dest is followed (its target is written)'),
    local_follow: z.boolean().default(true).describe('links in a src tree of the controller’s are followed'),
    validate: z.string().optional().describe('command run on the new file before it replaces the old; %s is its path'),
    directory_mode: fileModeParam.optional().describe('the mode of directories a tree copy makes'),
    mode: z.union([z.literal('preserve'), fileModeParam]).optional().describe('octal, symbolic, or preserve (the src file’s mode)'),
    owner: ownership.owner,
    group: ownership.group,
    checksum: z.string().regex(/^[0-9a-f]{40}$/).optional().describe('the SHA-1 src must have'),
    decrypt: z.boolean().default(true).describe('(vault files: tend reads them decrypted)'),
    secret: z.boolean().default(false).describe('tend’s own: never show the content; a new file is 0600 from its first byte unless mode says'),
    src_sha256: z.string().regex(/^[0-9a-f]{64}$/).optional().describe('(filled in from src when the playbook is read)'),
    src_sha1: z.string().regex(/^[0-9a-f]{40}$/).optional().describe('(filled in from src when the playbook is read)'),
    src_size: z.number().int().min(0).optional().describe('(filled in from src when the playbook is read)'),
    src_mode: z.string().regex(/^[0-7]{4}$/).optional().describe('(filled in from src when the playbook is read)'),
    tree: tree.optional().describe('(filled in from a src directory when the playbook is read)'),
    ...refusedKeys(REFUSED_KEYS),
  })
  .strict()
  .superRefine((p, ctx) => {
    if ((p.content === undefined) === (p.src === undefined)) ctx.addIssue({ code: 'custom', path: ['src'], message: 'give one of src or content' });
    if (p.content !== undefined && p.dest.endsWith('/')) ctx.addIssue({ code: 'custom', path: ['dest'], message: 'can not use content with a dir as dest' });
    if (p.validate !== undefined && !p.validate.includes('%s')) ctx.addIssue({ code: 'custom', path: ['validate'], message: 'validate must contain %s (the new file’s path)' });
    if (p.remote_src && p.mode === 'preserve') ctx.addIssue({ code: 'custom', path: ['mode'], message: 'mode: preserve with remote_src is not supported by tend yet' });
    if (p.content !== undefined && p.mode === 'preserve') ctx.addIssue({ code: 'custom', path: ['mode'], message: 'mode: preserve needs a src file' });
    refuseKeys(p, ctx, REFUSED_KEYS);
  });

type Params = z.output<typeof params>;

/** Where Ansible looks for a copy's src: the role's files/ (and the role, its tasks/), then files/ beside the playbook or task file, then beside it. */
export function filesDirs(baseDir: string): string[] {
  const roleDir = dirname(baseDir);
  const inRole = basename(dirname(roleDir)) === 'roles' && ['tasks', 'handlers'].includes(basename(baseDir));
  if (!inRole) return [join(baseDir, 'files'), baseDir];
  const playbookDir = dirname(dirname(roleDir));
  return [join(roleDir, 'files'), roleDir, join(roleDir, 'tasks', 'files'), join(roleDir, 'tasks'), join(playbookDir, 'files'), playbookDir];
}

function hashFile(file: string): { sha256: string; sha1: string; size: number } {
  const sha256 = createHash('sha256');
  const sha1 = createHash('sha1');
  const chunk = Buffer.alloc(1 << 20);
  const fd = openSync(file, 'r');
  let size = 0;
  try {
    for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; size += n) {
      sha256.update(chunk.subarray(0, n));
      sha1.update(chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: sha256.digest('hex'), sha1: sha1.digest('hex'), size };
}

/** A directory of the controller's, read whole (files and the directories between them, sorted). */
function readTree(root: string, follow: boolean): z.output<typeof tree> {
  const dirs: string[] = [];
  const files: z.output<typeof treeFile>[] = [];
  let bytes = 0;
  const visit = (dir: string, rel: string, seen: Set<string>) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const l = lstatSync(full);
      if (l.isSymbolicLink() && !follow) throw new Error(`src ${full} is a symbolic link; with local_follow: false tend does not copy links yet`);
      const s = statSync(full);
      if (dirs.length + files.length >= MAX_TREE_ENTRIES) throw new Error(`src ${root}: more than ${MAX_TREE_ENTRIES} entries; tend copies trees up to that`);
      if (s.isDirectory()) {
        const real = realpathSync(full);
        if (seen.has(real)) throw new Error(`src ${full}: a link loop`);
        dirs.push(r);
        visit(full, r, new Set([...seen, real]));
      } else if (s.isFile()) {
        const data = readFileSync(full);
        bytes += data.length;
        if (bytes > MAX_TREE_BYTES) throw new Error(`src ${root}: over ${MAX_TREE_BYTES / 1048576} MB; tend carries trees up to that (copy a large file as a file src)`);
        files.push({ rel: r, base64: data.toString('base64'), sha256: createHash('sha256').update(data).digest('hex'), sha1: createHash('sha1').update(data).digest('hex'), size: data.length });
      } else throw new Error(`src ${full} is not a regular file or directory`);
    }
  };
  visit(root, '', new Set([realpathSync(root)]));
  return { dirs, files };
}

function resolve(raw: Record<string, unknown>, { baseDir }: { baseDir: string }): Record<string, unknown> {
  for (const k of ['src_sha256', 'src_sha1', 'src_size', 'src_mode', 'tree']) if (raw[k] !== undefined) throw new Error(`${k} is filled in from src`);
  if (typeof raw.src !== 'string' || raw.remote_src === true || raw.remote_src === 'yes' || raw.src.includes('{{') || raw.src.includes('{%')) return raw;
  const src = raw.src;
  const trimmed = src.replace(/\/+$/, '') || '/';
  const candidates = isAbsolute(src) ? [trimmed] : filesDirs(baseDir).map((d) => join(d, trimmed));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`src ${src}: no such file or directory (looked at ${candidates.join(', ')})`);
  const s = statSync(found);
  if (s.isDirectory()) return { ...raw, src: src.endsWith('/') ? `${found}/` : found, tree: readTree(found, raw.local_follow !== false) };
  if (!s.isFile()) throw new Error(`src ${found} is not a regular file`);
  const h = hashFile(found);
  return { ...raw, src: found, src_sha256: h.sha256, src_sha1: h.sha1, src_size: h.size, src_mode: (s.mode & 0o7777).toString(8).padStart(4, '0') };
}

/** The file a src file (not a tree) lands in, when dest is a directory. */
const inside = (dest: string, src: string) => `${dest.replace(/\/+$/, '')}/${basename(src)}`;

/** The directory a tree lands in: dest itself for `dir/`, dest/dir for `dir`. */
const treeRoot = (p: Params) => (p.src!.endsWith('/') ? p.dest.replace(/\/+$/, '') || '/' : inside(p.dest, p.src!));

const join2 = (a: string, b: string) => `${a.replace(/\/+$/, '')}/${b}`;

function treeProbe(p: Params): ShellText[] {
  const root = treeRoot(p);
  const t = p.tree!;
  const dirProbe = (path: string) =>
    probeInParentOf(path, sh`if [ -e "$tend_name" ] || [ -L "$tend_name" ]; then stat -c '%F|%U|%G|%a' -- "$tend_name"; else echo missing; fi`, sh`echo missing`);
  const fileProbe = (path: string) =>
    probeInParentOf(
      path,
      sh`if [ -L "$tend_name" ]; then echo 'symbolic link|||'; elif [ -e "$tend_name" ]; then stat -c '%F|%U|%G|%a' -- "$tend_name"; if [ -f "$tend_name" ]; then sha256sum -- "$tend_name"; fi; else echo missing; fi`,
      sh`echo missing`,
    );
  return [dirProbe(root), ...t.dirs.map((d) => dirProbe(join2(root, d))), ...t.files.map((f) => fileProbe(join2(root, f.rel)))];
}

function probe(p: Params): readonly ShellText[] {
  if (p.tree) return treeProbe(p);
  const w = asWrite(p, p.dest);
  const intoDir = p.src !== undefined && !p.dest.endsWith('/') ? writeProbe(asWrite(p, inside(p.dest, p.src))) : [sh`true`, sh`true`, sh`true`];
  const remote = p.remote_src
    ? probeInParentOf(
        p.src!,
        sh`if [ -d "$tend_name" ]; then echo directory; elif [ -f "$tend_name" ]; then sha256sum -- "$tend_name"; else echo missing; fi`,
        sh`echo missing`,
        { follow: true },
      )
    : sh`true`;
  return [...writeProbe(p.dest.endsWith('/') && p.src !== undefined ? asWrite(p, inside(p.dest, p.src)) : w), ...intoDir, remote];
}

function backupName(path: string): string {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${basename(path)}.${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}~`;
}

function asWrite(p: Params, path: string, remoteSha?: string): FileWrite {
  const mode = p.mode === 'preserve' ? p.src_mode : p.mode;
  return {
    path,
    ...(p.content !== undefined ? { content: p.content } : {}),
    ...(p.src !== undefined ? { src: p.src, src_sha256: remoteSha ?? p.src_sha256, src_size: p.src_size, remote: p.remote_src } : {}),
    backup: p.backup,
    ...(p.backup ? { backupName: backupName(path) } : {}),
    validate: p.validate,
    follow: p.follow,
    secret: p.secret,
    force: p.force,
    owner: p.owner,
    group: p.group,
    mode,
  };
}

/** The file written, the first three sections for it: dest, or the file of that name inside dest when dest is a directory. */
function target(p: Params, probed: Probed): { path: string; sections: string[] } {
  const s = probed.sections;
  if (p.src !== undefined && p.dest.endsWith('/')) return { path: inside(p.dest, p.src), sections: s.slice(0, 3) };
  if ((s[1] ?? '').trim() === 'directory' && !/^link /.test((s[0] ?? '').trim())) {
    if (p.content !== undefined) throw new Error('can not use content with a dir as dest');
    return { path: inside(p.dest, p.src!), sections: s.slice(3, 6) };
  }
  return { path: p.dest, sections: s.slice(0, 3) };
}

function remoteHash(p: Params, probed: Probed): string | undefined {
  if (!p.remote_src) return undefined;
  const section = (probed.sections[6] ?? '').trim();
  refuseUnsafe(section);
  if (section === 'directory') throw new Error(`src ${p.src} is a directory on the host: tend copies a directory of the host's (remote_src) not yet`);
  if (section === 'missing' || section === '') throw new Error(`Source ${p.src} not found`);
  return section.split(/\s+/)[0];
}

function planTree(p: Params, probed: Probed): Plan {
  const root = treeRoot(p);
  const t = p.tree!;
  const [rootSection = '', ...rest] = probed.sections;
  const dirSections = rest.slice(0, t.dirs.length);
  const fileSections = rest.slice(t.dirs.length);
  const changes: Change[] = [];
  const commands: ShellText[] = [];
  const dirMode = p.directory_mode;
  const dirs = [{ path: root, section: rootSection }, ...t.dirs.map((d, i) => ({ path: join2(root, d), section: dirSections[i] ?? '' }))];
  for (const d of dirs) {
    refuseUnsafe(d.section);
    const have = parseStat(d.section);
    if (have.type !== null && have.type !== 'directory') throw new Error(`${d.path} is a ${have.type}, not a directory`);
    if (have.type === null) {
      changes.push({ subject: d.path, kind: 'add', before: null, after: 'directory' });
      const meta: string[] = [];
      if (p.owner !== undefined || p.group !== undefined) meta.push(sh`chown -h -- ${[p.owner ?? '', p.group].filter((x) => x !== undefined).join(':')} .`.text);
      if (dirMode !== undefined) meta.push(sh`chmod -- ${dirMode} .`.text);
      commands.push(new ShellText(`(\n${enterDirectory(d.path, { create: true }).text}\n${[':', ...meta].join(' &&\n')}\n)`));
    }
  }
  t.files.forEach((f, i) => {
    const path = join2(root, f.rel);
    const section = fileSections[i] ?? '';
    refuseUnsafe(section);
    const [statLine = '', sum = ''] = section.split('\n');
    const have = parseStat(statLine);
    if (have.type === 'symbolic link') throw new Error(`${path} is a symbolic link; tend does not write through a link in a tree copy`);
    if (have.type !== null && have.type !== 'regular file' && have.type !== 'regular empty file') throw new Error(`${path} is a ${have.type}, not a regular file`);
    const exists = have.type !== null;
    const mode = p.mode === undefined || p.mode === 'preserve' ? undefined : resultingMode(p.mode, have.mode || '0644', false);
    const same = exists && sum.split(/\s+/)[0] === f.sha256;
    const want = { owner: p.owner, group: p.group, mode };
    if (exists && (same || !p.force)) {
      const meta = metadataChanges(path, have, want);
      if (meta.length === 0) return;
      changes.push(...meta);
      commands.push(fileMetadataScript(path, want));
      return;
    }
    changes.push({ subject: path, kind: 'set', before: exists ? 'other content' : null, after: `${f.size} bytes from ${join2(p.src!.replace(/\/+$/, ''), f.rel)}`, reason: exists ? 'content differs' : 'new file' });
    commands.push(atomicWriteScript({ path, content: '', base64: f.base64, want, exists, backup: p.backup, validate: p.validate }));
  });
  return { changes, commands };
}

function plan(p: Params, probed: Probed): Plan {
  if (probed.code !== 0) throw new ProbeFailed(probed.stderr.trim() || `probe exited ${probed.code}`);
  if (p.src !== undefined && !p.remote_src && p.tree === undefined && p.src_sha256 === undefined) {
    throw new Error(`src ${p.src}: must name a file when the playbook is read (no templates)`);
  }
  if (p.checksum !== undefined && p.src_sha1 !== undefined && p.checksum !== p.src_sha1) {
    throw new Error(`Copied file does not match the expected checksum. Transfer failed. (src ${p.src} has ${p.src_sha1}, checksum says ${p.checksum})`);
  }
  if (p.tree) return planTree(p, probed);
  const { path, sections } = target(p, probed);
  return writePlan(asWrite(p, path, remoteHash(p, probed)), { ...probed, sections });
}

/** Ansible's return keys: dest, checksum (SHA-1 of the content), size, mode, owner, group, backup_file. */
function returns(p: Params, probed: Probed, planned: Plan): Record<string, unknown> {
  if (p.tree) return { dest: p.dest, src: p.src };
  const { path, sections } = target(p, probed);
  const have = parseStat(sections[1]);
  const bytes = p.content !== undefined ? Buffer.from(p.content, 'utf8') : undefined;
  const out: Record<string, unknown> = { dest: path };
  if (p.src !== undefined) out.src = p.src;
  const checksum = bytes ? createHash('sha1').update(bytes).digest('hex') : p.src_sha1;
  if (checksum !== undefined) out.checksum = checksum;
  const size = bytes?.length ?? p.src_size;
  if (size !== undefined) out.size = size;
  const modeChange = planned.changes.find((c) => c.subject === `${path} mode`)?.after;
  const mode = p.mode === 'preserve' ? p.src_mode : p.mode !== undefined && isOctalMode(p.mode) ? p.mode : (modeChange ?? (have.mode || undefined));
  if (mode) out.mode = mode;
  const owner = p.owner ?? (have.owner || undefined);
  const group = p.group ?? (have.group || undefined);
  if (owner) out.owner = owner;
  if (group) out.group = group;
  const backup = planned.changes.find((c) => c.subject === `${path} backup`)?.after;
  if (backup) out.backup_file = backup;
  return out;
}

const copy: TaskModule<Params> = {
  name: 'copy',
  summary: 'a file’s whole content from content, a file or directory tree of the controller’s, or a file of the host’s (written atomically)',
  params: params as unknown as z.ZodType<Params>,
  example: `copy:\n  dest: /etc/postfix/sasl/smtpd.conf\n  content: |\n    pwcheck_method: saslauthd\n    mech_list: plain login\n  mode: "0644"`,
  secretValues: (p) => (p.secret && p.content !== undefined ? [p.content] : []),
  resolve,
  probe,
  plan,
  returns,
};

export default copy;
