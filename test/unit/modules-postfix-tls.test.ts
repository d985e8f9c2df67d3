import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProbeFailed, type Probed } from '../../src/module.ts';
import { parseMasterEntries, parsePostconf } from '../../tasks/tend/postconf.ts';
import { parseCertificate, parseKey, subjectPairs } from '../../tasks/tend/openssl.ts';
import { commandsText, fixture, out, plan, walked, withSection } from './fixtures.ts';

/** A self-signed certificate made by this machine's openssl, for a new key (PEM text). */
function selfSigned(subject: string, days: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tend-cert-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-subj', subject, '-days', String(days)], { stdio: 'ignore' });
  return readFileSync(join(dir, 'c'), 'utf8');
}

describe('postconf plan', () => {
  it('fresh host without postfix: the probe cannot read, check mode waits for the install', () => {
    const f = fixture('postconf', 'fresh');
    assert.throws(() => plan('postconf', f.params, { ...f.probed, stderr: 'postconf not found' }), ProbeFailed);
  });
  it('converged host: only the parameters that differ, empty values included', () => {
    const f = fixture('postconf', 'converged');
    const p = plan('postconf', f.params, f.probed);
    assert.deepEqual(
      p.changes.map((c) => [c.subject, c.before, c.after]),
      [['myhostname', 'tend-5.localdomain', 'x']],
    );
    assert.equal(commandsText(p), "postconf -c /etc/postfix -e -- 'myhostname = x'");
  });
  it('an empty wanted value differs from a set one, and is written as "name ="', () => {
    const p = plan('postconf', { settings: { relayhost: '' } }, out('relayhost = [smtp.example.net]:587\n', '', ''));
    assert.equal(commandsText(p), "postconf -c /etc/postfix -e -- 'relayhost = '");
  });
  it('a missing master.cf service: the entry and its options', () => {
    const params = { services: { 'submission/inet': { entry: 'n  -  y  -  -  smtpd', options: { smtpd_tls_security_level: 'encrypt' } } } };
    const p = plan('postconf', params, out('', '', ''));
    assert.equal(
      commandsText(p),
      "postconf -c /etc/postfix -Me -- 'submission/inet=submission inet n - y - - smtpd'\npostconf -c /etc/postfix -Pe -- submission/inet/smtpd_tls_security_level=encrypt",
    );
  });
  it('parses real postconf -M lines, -o options apart', () => {
    const entries = parseMasterEntries('587        inet  n       -       y       -       -       smtpd -o syslog_name=postfix/submission -o smtpd_sasl_auth_enable=yes\n');
    assert.deepEqual([...entries], [['587/inet', 'n - y - - smtpd']]);
    assert.deepEqual([...parsePostconf('a =\nb = c = d\n')], [['a', ''], ['b', 'c = d']]);
  });
  it('booleans become yes/no; newlines are refused', () => {
    const p = plan('postconf', { settings: { smtpd_use_tls: true } }, out('smtpd_use_tls = no\n', '', ''));
    assert.equal(p.changes[0]!.after, 'yes');
    assert.throws(() => plan('postconf', { settings: { a: 'x\ny' } }, out('', '', '')), { name: 'ZodError', message: /one line/ });
  });
});

describe('openssl plan', () => {
  it('fresh host: key (0600 before its first byte), CSR and certificate, each saying why', () => {
    const f = fixture('openssl', 'fresh');
    const p = plan('openssl', f.params, f.probed);
    assert.deepEqual(p.changes.map((c) => [c.subject, c.reason]), [
      ['/etc/postfix/ssl/smtpd.key', 'missing'],
      ['/etc/postfix/ssl/smtpd.csr', 'missing'],
      ['/etc/postfix/ssl/smtpd.crt', 'missing'],
    ]);
    const text = commandsText(p);
    // Private from the start: made empty under umask 077, mode set, and only then written.
    assert.match(text, /umask 077 &&\n: > new &&\nchmod -- 0600 new &&\nopenssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out new /);
    assert.match(text, /openssl x509 -req -days 3650 -in \/etc\/postfix\/ssl\/smtpd\.csr -signkey \/etc\/postfix\/ssl\/smtpd\.key/);
  });
  it('converged host: nothing', () => {
    const f = fixture('openssl', 'converged');
    assert.deepEqual(plan('openssl', f.params, f.probed), { changes: [], commands: [] });
  });
  it('key mode drift is fixed with chmod (through a hard link in the walked directory), never by a new key', () => {
    const f = fixture('openssl', 'converged');
    const probed = withSection(f.probed, 0, (s) => s.replace('regular file|root|root|600', 'regular file|root|root|644'));
    const p = plan('openssl', f.params, probed);
    assert.deepEqual(p.changes, [{ subject: '/etc/postfix/ssl/smtpd.key mode', kind: 'set', before: '0644', after: '0600' }]);
    const script = walked(commandsText(p));
    assert.match(script, /^tend_chase \/etc\/postfix\/ssl\/smtpd\.key 0 0 0 \|\|/m);
    assert.match(script, /^ln -P -- "\.\.\/\$tend_name" it &&\n.*\n^chmod -- 0600 it\n\)$/m);
    assert.doesNotMatch(script, /genpkey/);
  });
  it('regenerates for a reason: wrong subject, other key, expiring, wrong size', () => {
    const f = fixture('openssl', 'converged');
    const reasons = (params: object, probed: Probed) => plan('openssl', { ...(f.params as object), ...params }, probed).changes.map((c) => `${c.subject}: ${c.reason}`);
    assert.deepEqual(reasons({ subject: { CN: 'other.example' } }, f.probed), [
      '/etc/postfix/ssl/smtpd.csr: subject is CN=tend-1.localdomain',
      '/etc/postfix/ssl/smtpd.crt: the CSR is new',
    ]);
    // The certificate section replaced by a certificate of another key, same subject and days.
    const otherCert = withSection(f.probed, 2, () => `pem\n${selfSigned('/CN=tend-1.localdomain', 3650)}`);
    assert.deepEqual(reasons({}, otherCert), ['/etc/postfix/ssl/smtpd.crt: does not match the key']);
    assert.deepEqual(reasons({}, withSection(f.probed, 2, () => 'pem\nnot a certificate\n')), ['/etc/postfix/ssl/smtpd.crt: not a readable certificate']);
    assert.deepEqual(reasons({ days: 365 }, f.probed), ['/etc/postfix/ssl/smtpd.crt: valid for 3650 days, want 365']);
    assert.deepEqual(reasons({ size: 4096 }, f.probed), [
      '/etc/postfix/ssl/smtpd.key: is rsa 2048, want rsa 4096',
      '/etc/postfix/ssl/smtpd.csr: the key is new',
      '/etc/postfix/ssl/smtpd.crt: the key is new',
    ]);
  });
  it('reads the certificate on the controller: subject, days, CA, and the renewal window by its clock', () => {
    const pem = selfSigned('/CN=mail.example.org/O=Example, Inc.', 90);
    const cert = parseCertificate(`pem\n${pem}`, 30 * 86400);
    assert.deepEqual(subjectPairs(cert.subject), ['CN=mail.example.org', 'O=Example, Inc.']);
    assert.equal(cert.days, 90);
    assert.equal(cert.ca, true, "openssl req -x509 adds its configuration's v3_ca: CA:TRUE");
    assert.equal(cert.expiring, false);
    const end = Date.parse(new X509Certificate(pem).validTo);
    assert.equal(parseCertificate(`pem\n${pem}`, 30 * 86400, end - 29 * 86_400_000).expiring, true, 'inside the window');
    assert.equal(parseCertificate(`pem\n${pem}`, 30 * 86400, end - 31 * 86_400_000).expiring, false);
    assert.deepEqual(parseCertificate('missing\n', 0), { exists: false, parseable: false, subject: '', pubHash: '', days: 0, expiring: false, ca: false });
  });
  it('refuses RSA under 2048 bits', () => {
    assert.throws(() => plan('openssl', { key: '/k', size: 1024 }, out('', '', '')), /2048/);
  });
  it('reads key types from openssl’s text: RSA, EC, ed25519', () => {
    const key = (info: string) => parseKey(`regular file|root|root|600\nparse=ok\n${info}\nabc\n`).kind;
    assert.equal(key('Public-Key: (4096 bit) '), 'rsa 4096');
    assert.equal(key('Public-Key: (256 bit) ASN1 OID: prime256v1 NIST CURVE: P-256 '), 'ec 256');
    assert.equal(key('ED25519 Public-Key: '), 'ed25519');
  });
  it('compares subjects by their parts, whatever the order and escaping', () => {
    assert.deepEqual(subjectPairs('O=Example\\, Inc.,CN=mail.example.org'), ['CN=mail.example.org', 'O=Example, Inc.']);
  });
});
