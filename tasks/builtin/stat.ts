// stat: what a path is (type, owner, mode, times, checksum, MIME type, attributes), read
// and never changed, for `register`. The keys and values are those Ansible's stat module
// returns on Linux; they are read with coreutils (`stat -c`, the `*sum` tools, `test`),
// getent, and `file` and `lsattr` where the host has them.
import { z } from 'zod';
import { defineTask, NO_CHANGE, ProbeFailed, type Probed } from '../../src/module.ts';
import { lines, sh, type ShellText } from '../../src/shell.ts';
import { showingShape, withAliases } from '../lib/param-aliases.ts';

/** A path as Ansible's `path` type takes it: anything but NUL; `~` and `~/…` are the connecting user's home. */
export const hostPath = z
  .string()
  .min(1)
  .refine((v) => !v.includes('\0'), 'a path without NUL');

const ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;

const object = z
  .object({
    path: hostPath.optional().describe('the path to read (required; aliases dest, name)'),
    dest: hostPath.optional().describe('alias of path'),
    name: hostPath.optional().describe('alias of path'),
    follow: z.boolean().default(false).describe('a symlink is followed: the target is described'),
    get_checksum: z.boolean().default(true),
    checksum_algorithm: z.enum(ALGORITHMS).optional().describe('default sha1 (aliases checksum, checksum_algo)'),
    checksum: z.enum(ALGORITHMS).optional().describe('alias of checksum_algorithm'),
    checksum_algo: z.enum(ALGORITHMS).optional().describe('alias of checksum_algorithm'),
    get_md5: z.boolean().default(false).describe('the md5 key too (kept from older Ansible)'),
    get_mime: z.boolean().optional().describe('mimetype and charset, by `file` (default true; aliases mime, mime_type, mime-type)'),
    mime: z.boolean().optional().describe('alias of get_mime'),
    mime_type: z.boolean().optional().describe('alias of get_mime'),
    'mime-type': z.boolean().optional().describe('alias of get_mime'),
    get_attributes: z.boolean().optional().describe('version, attributes, attr_flags, by lsattr (default true; aliases attr, attributes)'),
    attr: z.boolean().optional().describe('alias of get_attributes'),
    attributes: z.boolean().optional().describe('alias of get_attributes'),
  })
  .strict();

const params = showingShape(
  withAliases(
    object,
    {
      path: ['dest', 'name'],
      checksum_algorithm: ['checksum', 'checksum_algo'],
      get_mime: ['mime', 'mime_type', 'mime-type'],
      get_attributes: ['attr', 'attributes'],
    },
    ['path'],
  ),
  object,
);

type Params = z.output<typeof params>;

/** The path in `$p`, with `~` and `~/…` made the connecting user's home, as Ansible's `path` type does. */
export function expandedPath(path: string): ShellText {
  return sh`p=${path}
case $p in '~') p=$HOME ;; '~/'*) p=$HOME/\${p#'~/'} ;; esac`;
}

const FORMAT = '%f %u %g %s %i %d %h %.9X %.9Y %.9Z %b %o %t %T';

function mainProbe(p: Params): ShellText {
  const algorithm = p.checksum_algorithm ?? 'sha1';
  const follow = p.follow ? sh`-L` : sh``;
  const sum = (tool: string, key: string) => sh`c=$(${tool} < "$p") || exit 1; echo ${`${key}=`}"\${c%% *}"`;
  const checksums = [...(p.get_md5 ? [sum('md5sum', 'md5')] : []), ...(p.get_checksum ? [sum(`${algorithm}sum`, 'checksum')] : [])];
  return sh`${expandedPath(p.path!)}
if s=$(stat ${follow} -c ${FORMAT} -- "$p" 2>&1); then :; else
  case $s in *': No such file or directory') echo exists=no; exit 0 ;; esac
  printf '%s\\n' "$s" >&2; exit 1
fi
echo "stat=$s"
set -- $s
t=$(( 0x$1 & 61440 ))
[ -r "$p" ] && echo readable=yes
[ -w "$p" ] && echo writeable=yes
[ -x "$p" ] && echo executable=yes
u=$(getent passwd "$2" | cut -d: -f1); [ -z "$u" ] || echo "pw_name=$u"
g=$(getent group "$3" | cut -d: -f1); [ -z "$g" ] || echo "gr_name=$g"
if [ "$t" = 32768 ] && [ -r "$p" ]; then
  ${checksums.length > 0 ? lines(checksums) : sh`:`}
fi
${
  (p.get_mime ?? true)
    ? sh`if command -v file >/dev/null 2>&1; then r=$(file -b --mime-type --mime-encoding -- "$p" 2>/dev/null) && printf 'mime=%s\\n' "$r" | head -n 1; fi`
    : sh``
}
${
  (p.get_attributes ?? true)
    ? sh`if command -v lsattr >/dev/null 2>&1; then r=$(lsattr -vd -- "$p" 2>/dev/null) && printf '%s\\n' "$r" | awk 'NR == 1 { print "lsattr=" $1 " " $2 }'; fi`
    : sh``
}
true`;
}

/** What lsattr's flag letters mean, as Ansible names them. */
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  A: 'noatime',
  a: 'append',
  c: 'compressed',
  C: 'nocow',
  d: 'nodump',
  D: 'dirsync',
  e: 'extents',
  E: 'encrypted',
  h: 'blocksize',
  i: 'immutable',
  I: 'indexed',
  j: 'journalled',
  N: 'inline',
  s: 'zero',
  S: 'synchronous',
  t: 'notail',
  T: 'blockroot',
  u: 'undelete',
  X: 'compressedraw',
  Z: 'compresseddirty',
};

/** A section printed by `readlink`/`realpath`: its one trailing newline is not the path's. */
const chompOne = (s: string) => (s.endsWith('\n') ? s.slice(0, -1) : s);

/** `%.9X` as Python's st_atime: seconds plus nanoseconds times 1e-9, one double. */
function seconds(text: string): number {
  const [s = '0', ns = '0'] = text.split('.');
  return Number(s) + Number(ns) * 1e-9;
}

/** glibc's makedev: st_rdev from the major and minor numbers `stat` prints in hex. */
function makedev(majorHex: string, minorHex: string): number {
  const major = BigInt(`0x${majorHex}`);
  const minor = BigInt(`0x${minorHex}`);
  const dev = ((major & 0xfffff000n) << 32n) | ((major & 0xfffn) << 8n) | ((minor & 0xffffff00n) << 12n) | (minor & 0xffn);
  return Number(dev);
}

/** The `stat` dict Ansible's stat module returns, from the probe's sections. */
export function statResult(p: Params, probed: Probed): Record<string, unknown> {
  if (probed.code !== 0) throw new ProbeFailed(probed.stderr.trim() || `stat's probe exited ${probed.code}`);
  const [main = '', linkTarget = '', linkSource = '', path = p.path!] = probed.sections;
  const f = new Map<string, string>();
  for (const line of main.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0 && !f.has(line.slice(0, at))) f.set(line.slice(0, at), line.slice(at + 1));
  }
  const raw = f.get('stat');
  if (raw === undefined) {
    if (f.get('exists') === 'no') return { exists: false };
    throw new ProbeFailed(`stat's probe printed no state: ${main.slice(0, 200)}`);
  }
  const [modeHex = '0', uid, gid, size, inode, dev, nlink, atime = '0', mtime = '0', ctime = '0', blocks, blockSize, major = '0', minor = '0'] = raw.split(' ');
  const mode = Number.parseInt(modeHex, 16);
  const type = mode & 0o170000;
  const bit = (b: number) => (mode & b) !== 0;
  const out: Record<string, unknown> = {
    exists: true,
    path,
    mode: (mode & 0o7777).toString(8).padStart(4, '0'),
    isdir: type === 0o040000,
    ischr: type === 0o020000,
    isblk: type === 0o060000,
    isreg: type === 0o100000,
    isfifo: type === 0o010000,
    islnk: type === 0o120000,
    issock: type === 0o140000,
    uid: Number(uid),
    gid: Number(gid),
    size: Number(size),
    inode: Number(inode),
    dev: Number(dev),
    nlink: Number(nlink),
    atime: seconds(atime),
    mtime: seconds(mtime),
    ctime: seconds(ctime),
    wusr: bit(0o200),
    rusr: bit(0o400),
    xusr: bit(0o100),
    wgrp: bit(0o020),
    rgrp: bit(0o040),
    xgrp: bit(0o010),
    woth: bit(0o002),
    roth: bit(0o004),
    xoth: bit(0o001),
    isuid: bit(0o4000),
    isgid: bit(0o2000),
    blocks: Number(blocks),
    block_size: Number(blockSize),
    device_type: makedev(major, minor),
    readable: f.get('readable') === 'yes',
    writeable: f.get('writeable') === 'yes',
    executable: f.get('executable') === 'yes',
  };
  if (out.islnk) {
    out.lnk_source = chompOne(linkSource);
    out.lnk_target = chompOne(linkTarget);
  }
  if (f.has('pw_name')) out.pw_name = f.get('pw_name');
  if (f.has('gr_name')) out.gr_name = f.get('gr_name');
  if (out.isreg && out.readable) {
    if (p.get_md5) out.md5 = f.get('md5') ?? null;
    if (p.get_checksum && f.has('checksum')) out.checksum = f.get('checksum');
  }
  if (p.get_mime ?? true) {
    out.mimetype = 'unknown';
    out.charset = 'unknown';
    const mime = f.get('mime');
    const [type = '', charset] = mime?.split(';') ?? [];
    if (mime !== undefined && charset !== undefined) {
      out.mimetype = type.trim();
      out.charset = (charset.split('=')[1] ?? '').trim();
    }
  }
  if (p.get_attributes ?? true) {
    out.version = null;
    out.attributes = [];
    out.attr_flags = '';
    const attr = f.get('lsattr');
    if (attr !== undefined) {
      const [version = '', flags = ''] = attr.split(' ');
      const letters = flags.replaceAll('-', '');
      out.version = version;
      out.attr_flags = letters;
      out.attributes = [...letters].filter((c) => c in ATTRIBUTE_NAMES).map((c) => ATTRIBUTE_NAMES[c]);
    }
  }
  return out;
}

export default defineTask({
  name: 'stat',
  checkMode: 'read-only',
  summary: 'what a path is (type, owner, mode, times, checksum, MIME type), read for register; changes nothing',
  params,
  example: `stat:\n  path: /etc/postfix/main.cf\n  checksum_algorithm: sha256`,
  // Four snippets: the state as key=value lines, then the link's target, the path it
  // resolves to and the path itself, each apart (a path may hold any byte but NUL).
  probe: (p) => {
    const link = (read: ShellText) => (p.follow ? sh`true` : sh`${expandedPath(p.path!)}
if [ -L "$p" ]; then ${read}; fi`);
    return [mainProbe(p), link(sh`readlink -- "$p"`), link(sh`realpath -m -- "$p"`), sh`${expandedPath(p.path!)}
printf '%s' "$p"`];
  },
  plan: (p, probed) => {
    statResult(p, probed);
    return NO_CHANGE;
  },
  returns: (p, probed) => ({ stat: statResult(p, probed) }),
});
