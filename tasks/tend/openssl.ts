// openssl: a private key (no passphrase, mode 0600 from its first byte), and optionally
// a CSR and a self-signed certificate (or a CA certificate) for it. Each is made again
// only when missing, unreadable, not matching its key, not matching the wanted type,
// size or subject, valid for another number of days, or inside the renewal window; the
// diff says which.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineTask, type Change } from '../../src/module.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import { fileMetadataScript, stagedReplaceScript } from '../lib/atomic.ts';
import { probeInParentOf, refuseUnsafe } from '../lib/safe-path.ts';
import { certificateFields, type CertificateFields } from '../lib/x509.ts';
import { absolutePath, oneLine } from '../lib/words.ts';
import { metadataChanges, modeParam, ownership, parseStat, type Wanted } from '../lib/metadata.ts';

const path = absolutePath;

const params = z
  .object({
    key: path.describe('private key file'),
    type: z.enum(['rsa', 'ec', 'ed25519']).default('rsa'),
    size: z.number().int().default(2048).describe('RSA bits (2048 or more); EC: 256 or 384'),
    csr: path.optional().describe('certificate signing request file'),
    certificate: path.optional().describe('self-signed certificate file'),
    ca: z.boolean().default(false).describe('the certificate is a CA certificate (v3_ca)'),
    subject: z.record(z.string().regex(/^[A-Za-z]+$/), oneLine.pipe(z.string().min(1))).optional().describe('e.g. { CN: mail.example.org, O: Example }'),
    days: z.number().int().positive().default(3650),
    renew_before_days: z.number().int().nonnegative().default(30),
    ...ownership,
    mode: modeParam.default('0600'),
  })
  .strict()
  .refine((p) => p.type !== 'rsa' || p.size >= 2048, 'RSA keys under 2048 bits are refused by Debian 12’s OpenSSL security level')
  .refine((p) => p.type !== 'ec' || p.size === 256 || p.size === 384, 'EC keys are 256 or 384 bits')
  .refine((p) => (p.csr === undefined && p.certificate === undefined) || p.subject !== undefined, 'a csr or certificate needs a subject');

type Params = z.output<typeof params>;

export interface KeyState {
  exists: boolean;
  parseable: boolean;
  /** e.g. 'rsa 2048', 'ec 256', 'ed25519' */
  kind: string;
  pubHash: string;
}

export interface CertState {
  exists: boolean;
  parseable: boolean;
  subject: string;
  pubHash: string;
  days: number;
  expiring: boolean;
  ca: boolean;
}

// One openssl run per file, its output sent back whole and read by the plan: every
// process costs start-up time on the host, and a converged host runs them all.
// Each file is read in the directory the safe walk reached (safe-path.ts), by its name there.
function keyProbe(k: string): ShellText {
  return probeInParentOf(k, sh`k=$tend_name
if [ -e "$k" ]; then
  stat -c '%F|%U|%G|%a' -- "$k"
  if out=$(openssl pkey -in "$k" -passin pass: -pubout -text_pub 2>/dev/null); then echo parse=ok; printf '%s\\n' "$out"; else echo parse=bad; fi
else echo missing; fi`, sh`echo missing`);
}

function csrProbe(file: string | undefined): ShellText {
  if (file === undefined) return sh`true`;
  return probeInParentOf(file, sh`c=$tend_name
if [ -L "$c" ]; then echo symlink
elif [ -e "$c" ]; then
  out=$(openssl req -in "$c" -noout -subject -nameopt RFC2253 -pubkey 2>/dev/null)
  case "$out" in *subject=*) echo parse=ok; printf '%s\\n' "$out" ;; *) echo parse=bad ;; esac
else echo missing; fi`, sh`echo missing`);
}

/**
 * A certificate is public: it comes back whole and the plan reads it (node's X509 parser).
 * `openssl x509` costs the host some 20 ms of CPU at every start; `cat` almost nothing.
 */
function certificateProbe(file: string | undefined): ShellText {
  if (file === undefined) return sh`true`;
  return probeInParentOf(file, sh`c=$tend_name
if [ -L "$c" ]; then echo symlink
elif [ -e "$c" ]; then echo pem; cat -- "$c"
else echo missing; fi`, sh`echo missing`);
}

/** SHA-256 of the PEM public key in openssl's output: how key, CSR and certificate are matched. */
function publicKeyHash(lines: readonly string[]): string {
  const begin = lines.indexOf('-----BEGIN PUBLIC KEY-----');
  const end = lines.indexOf('-----END PUBLIC KEY-----');
  if (begin < 0 || end < begin) return '';
  return createHash('sha256').update(`${lines.slice(begin, end + 1).join('\n')}\n`).digest('hex');
}

export function parseKey(text: string): KeyState & { stat: string } {
  const lines = text.trim().split('\n');
  if (lines[0] === 'missing' || lines[0] === '') return { exists: false, parseable: false, kind: '', pubHash: '', stat: '' };
  const [stat = '', parse = '', ...output] = lines;
  const info = output.filter((l) => /Public-Key|Private-Key|NIST CURVE|ASN1 OID/.test(l)).join(' ');
  let kind = 'unknown';
  if (/ED25519/.test(info)) kind = 'ed25519';
  else if (/NIST CURVE|ASN1 OID/.test(info)) kind = `ec ${/\((\d+) bit/.exec(info)?.[1] ?? '?'}`;
  else if (/-Key: \((\d+) bit/.test(info)) kind = `rsa ${/\((\d+) bit/.exec(info)![1]}`;
  return { exists: true, parseable: parse === 'parse=ok', kind, pubHash: publicKeyHash(output), stat };
}

/** A CSR as `openssl req` printed it (subject, public key). */
export function parseCert(text: string): CertState {
  const lines = text.trim().split('\n');
  const none: CertState = { exists: false, parseable: false, subject: '', pubHash: '', days: 0, expiring: false, ca: false };
  if (lines[0] !== 'parse=ok') return { ...none, exists: lines[0] === 'parse=bad' };
  const field = (prefix: string) => lines.find((l) => l.startsWith(prefix))?.slice(prefix.length).trim() ?? '';
  const start = Date.parse(field('notBefore='));
  const end = Date.parse(field('notAfter='));
  return {
    exists: true,
    parseable: true,
    subject: field('subject='),
    pubHash: publicKeyHash(lines),
    days: Number.isFinite(start) && Number.isFinite(end) ? Math.round((end - start) / 86_400_000) : 0,
    expiring: lines.includes('Certificate will expire'),
    ca: lines.some((l) => /CA:TRUE/.test(l)),
  };
}

/**
 * A certificate file's text as the probe sends it (`pem` and the file): read here, with
 * the controller's clock deciding whether it is inside the renewal window.
 */
export function parseCertificate(text: string, renewSeconds: number, now = Date.now()): CertState {
  const none: CertState = { exists: false, parseable: false, subject: '', pubHash: '', days: 0, expiring: false, ca: false };
  const [first = '', ...rest] = text.split('\n');
  if (first !== 'pem') return none;
  let cert: CertificateFields;
  try {
    cert = certificateFields(rest.join('\n'));
  } catch {
    return { ...none, exists: true };
  }
  return {
    exists: true,
    parseable: true,
    // As RFC 2253 text, each value escaped, so that subjectPairs reads it back whole.
    subject: cert.subject.map((pair) => pair.replace(/[,+\\]/g, (c) => `\\${c}`)).join(','),
    pubHash: publicKeyHash(cert.publicKeyPem.trim().split('\n')),
    days: Math.round((cert.notAfter - cert.notBefore) / 86_400_000),
    expiring: !(cert.notAfter > now + renewSeconds * 1000),
    ca: cert.ca,
  };
}

/** RFC 2253 text (as openssl prints it) → sorted `KEY=value` pairs, for comparison. */
export function subjectPairs(rfc2253: string): string[] {
  const pairs: string[] = [];
  let current = '';
  for (let i = 0; i < rfc2253.length; i++) {
    const c = rfc2253[i]!;
    if (c === '\\' && i + 1 < rfc2253.length) current += rfc2253[++i];
    else if (c === ',' || c === '+') {
      pairs.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) pairs.push(current.trim());
  return pairs.sort();
}

function wantedPairs(subject: Record<string, string>): string[] {
  return Object.entries(subject)
    .map(([k, v]) => `${k}=${v}`)
    .sort();
}

/** `-subj` syntax: /K=v/K=v with / and \ escaped. */
function subjArgument(subject: Record<string, string>): string {
  return Object.entries(subject)
    .map(([k, v]) => `/${k}=${v.replace(/([\\/])/g, '\\$1')}`)
    .join('');
}

function genpkeyOptions(p: Params): ShellText {
  if (p.type === 'ed25519') return sh`-algorithm ED25519`;
  if (p.type === 'ec') return sh`-algorithm EC -pkeyopt ${`ec_paramgen_curve:P-${p.size}`}`;
  return sh`-algorithm RSA -pkeyopt ${`rsa_keygen_bits:${p.size}`}`;
}

/** Makes `file` anew: `produce` writes `new`, already private, in a staging directory. */
function replaceFile(file: string, produce: ShellText, want: Wanted, exists: boolean): ShellText {
  return stagedReplaceScript({ path: file, produce, want, exists });
}

/** CSRs and certificates are public: 0644, owned by whoever runs tend (root). */
const PUBLIC: Wanted = { mode: '0644' };

/** A path that is a symbolic link is refused: keys are never written through a link. */
function refuseLinks(p: Params, sections: readonly string[]): void {
  const [keyText = '', ...others] = sections;
  const files = [p.key, p.csr, p.certificate];
  [parseKey(keyText).stat.startsWith('symbolic link') ? 'symlink' : '', ...others.map((o) => o.split('\n')[0])].forEach((first, i) => {
    if (first === 'symlink') throw new Error(`${files[i]} is a symbolic link; point the task at the file itself`);
  });
}

export default defineTask({
  name: 'openssl',
  summary: 'a private key, and optionally a CSR and a self-signed or CA certificate, exist and match',
  params,
  example: `openssl:\n  key: /etc/postfix/ssl/smtpd.key\n  csr: /etc/postfix/ssl/smtpd.csr\n  certificate: /etc/postfix/ssl/smtpd.crt\n  subject: { CN: mail.example.org }\n  days: 3650`,
  probe: (p) => [
    sh`command -v openssl >/dev/null || { echo 'openssl not found' >&2; exit 127; }
${keyProbe(p.key)}`,
    csrProbe(p.csr),
    certificateProbe(p.certificate),
  ],
  plan: (p, probed) => {
    if (probed.code !== 0) throw new Error(probed.stderr.trim() || `probe exited ${probed.code}`);
    probed.sections.forEach(refuseUnsafe);
    refuseLinks(p, probed.sections);
    const [keyText = '', csrText = '', certText = ''] = probed.sections;
    const key = parseKey(keyText);
    const changes: Change[] = [];
    const commands: ShellText[] = [];
    const wantKind = p.type === 'ed25519' ? 'ed25519' : `${p.type} ${p.size}`;
    const want = { owner: p.owner, group: p.group, mode: p.mode };

    let keyReason: string | undefined;
    if (!key.exists) keyReason = 'missing';
    else if (!key.parseable) keyReason = 'not readable without a passphrase';
    else if (key.kind !== wantKind) keyReason = `is ${key.kind}, want ${wantKind}`;
    const newKey = keyReason !== undefined;
    if (newKey) {
      changes.push({ subject: p.key, kind: 'set', before: key.exists ? 'private key' : null, after: `new ${wantKind} key`, reason: keyReason });
      commands.push(
        replaceFile(p.key, sh`openssl genpkey ${genpkeyOptions(p)} -out new 2>/dev/null`, want, key.exists),
      );
    } else {
      const meta = metadataChanges(p.key, parseStat(key.stat), want);
      changes.push(...meta);
      // Through a hard link in a private staging directory reached by the safe walk.
      if (meta.length > 0) commands.push(fileMetadataScript(p.key, want));
    }

    const subject = p.subject ?? {};
    let newCsr = false;
    if (p.csr !== undefined) {
      const csr = parseCert(csrText);
      let reason: string | undefined;
      if (!csr.exists) reason = 'missing';
      else if (!csr.parseable) reason = 'not a readable CSR';
      else if (newKey || csr.pubHash !== key.pubHash) reason = newKey ? 'the key is new' : 'does not match the key';
      else if (subjectPairs(csr.subject).join(',') !== wantedPairs(subject).join(',')) reason = `subject is ${csr.subject}`;
      if (reason !== undefined) {
        newCsr = true;
        changes.push({ subject: p.csr, kind: 'set', before: csr.exists ? 'CSR' : null, after: `CSR for ${subjArgument(subject)}`, reason });
        commands.push(
          replaceFile(p.csr, sh`openssl req -new -key ${p.key} -subj ${subjArgument(subject)} -out new`, PUBLIC, false),
        );
      }
    }

    if (p.certificate !== undefined) {
      const cert = parseCertificate(certText, p.renew_before_days * 86400);
      let reason: string | undefined;
      if (!cert.exists) reason = 'missing';
      else if (!cert.parseable) reason = 'not a readable certificate';
      else if (newKey || cert.pubHash !== key.pubHash) reason = newKey ? 'the key is new' : 'does not match the key';
      else if (newCsr) reason = 'the CSR is new';
      else if (subjectPairs(cert.subject).join(',') !== wantedPairs(subject).join(',')) reason = `subject is ${cert.subject}`;
      else if (Math.abs(cert.days - p.days) > 1) reason = `valid for ${cert.days} days, want ${p.days}`;
      else if (cert.ca !== p.ca) reason = p.ca ? 'is not a CA certificate' : 'is a CA certificate';
      else if (cert.expiring) reason = `expires within ${p.renew_before_days} days`;
      if (reason !== undefined) {
        const what = p.ca ? 'CA certificate' : 'self-signed certificate';
        changes.push({ subject: p.certificate, kind: 'set', before: cert.exists ? 'certificate' : null, after: `${what}, ${p.days} days`, reason });
        const produce =
          p.csr !== undefined && !p.ca
            ? sh`openssl x509 -req -days ${p.days} -in ${p.csr} -signkey ${p.key} -out new 2>/dev/null`
            : sh`openssl req -new -x509 ${p.ca ? sh`-extensions v3_ca` : sh``} -key ${p.key} -subj ${subjArgument(subject)} -days ${p.days} -out new`;
        commands.push(replaceFile(p.certificate, produce, PUBLIC, false));
      }
    }
    return { changes, commands };
  },
});
