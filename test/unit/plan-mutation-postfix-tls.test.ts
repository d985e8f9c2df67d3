// The plans of postconf and openssl, case by case (issue #18: tests that a mutated plan
// fails): postconf compares effective values and writes only what differs, with the
// config_dir given; openssl makes a key, CSR and certificate only for a reason, and
// says which.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProbeFailed, probedFrom } from '../../src/module.ts';
import { commandsText, out, plan } from './fixtures.ts';

describe('postconf plan', () => {
  it('a failed probe is a ProbeFailed with its message, or its exit status', () => {
    assert.throws(() => plan('postconf', { settings: { a: 'b' } }, probedFrom(['', '', ''], 127, ' postconf not found \n')), (e: Error) => e instanceof ProbeFailed && e.message === 'postconf not found');
    assert.throws(() => plan('postconf', { settings: { a: 'b' } }, probedFrom(['', '', ''], 1, '')), (e: Error) => e instanceof ProbeFailed && e.message === 'postconf exited 1');
  });
  it('settings: only those that differ, in one postconf -e of the config_dir given; an unset one shown from nothing', () => {
    const p = plan('postconf', { settings: { myhostname: 'mx', relayhost: '', smtpd_banner: 'hi', new_one: 'x' }, config_dir: '/etc/postfix-out' }, out('myhostname = mx\nrelayhost = [a]:587\nsmtpd_banner = hello\n', '', ''));
    assert.deepEqual(p.changes, [
      { subject: 'relayhost', kind: 'set', before: '[a]:587', after: '' },
      { subject: 'smtpd_banner', kind: 'set', before: 'hello', after: 'hi' },
      { subject: 'new_one', kind: 'set', before: null, after: 'x' },
    ]);
    assert.equal(commandsText(p), "postconf -c /etc/postfix-out -e -- 'relayhost = ' 'smtpd_banner = hi' 'new_one = x'");
    assert.deepEqual(plan('postconf', { settings: { myhostname: 'mx' } }, out('myhostname = mx\n', '', '')), { changes: [], commands: [] });
  });
  const master = 'submission inet  n       -       y       -       -       smtpd\n';
  const svc = (entry: string, options: Record<string, string> = {}) => ({ services: { 'submission/inet': { entry, options } }, config_dir: '/etc/pf' });
  it('services: an entry equal but for spacing is in sync; another is replaced, shown before → after', () => {
    assert.deepEqual(plan('postconf', svc('n - y - -   smtpd'), out('', master, '')), { changes: [], commands: [] });
    assert.deepEqual(plan('postconf', svc('  n - y - - smtpd '), out('', master, '')), { changes: [], commands: [] });
    const p = plan('postconf', svc('n - n - - smtpd'), out('', master, ''));
    assert.deepEqual(p.changes, [{ subject: 'master.cf submission/inet', kind: 'set', before: 'n - y - - smtpd', after: 'n - n - - smtpd' }]);
    assert.equal(commandsText(p), "postconf -c /etc/pf -Me -- 'submission/inet=submission inet n - n - - smtpd'");
  });
  it('options: compared to postconf -P of an existing entry; only those that differ are written', () => {
    const opts = 'submission/inet/syslog_name = postfix/submission\nsubmission/inet/smtpd_tls_security_level = may\n';
    const p = plan('postconf', svc('n - y - - smtpd', { syslog_name: 'postfix/submission', smtpd_tls_security_level: 'encrypt', smtpd_sasl_auth_enable: 'yes' }), out('', master, opts));
    assert.deepEqual(p.changes, [
      { subject: 'master.cf submission/inet -o smtpd_tls_security_level', kind: 'set', before: 'may', after: 'encrypt' },
      { subject: 'master.cf submission/inet -o smtpd_sasl_auth_enable', kind: 'set', before: null, after: 'yes' },
    ]);
    assert.equal(commandsText(p), 'postconf -c /etc/pf -Pe -- submission/inet/smtpd_tls_security_level=encrypt submission/inet/smtpd_sasl_auth_enable=yes');
    // A missing entry's options are all new, whatever -P said.
    const fresh = plan('postconf', svc('n - y - - smtpd', { syslog_name: 'postfix/submission' }), out('', '', opts));
    assert.deepEqual(fresh.changes.map((c) => [c.subject, c.before]), [
      ['master.cf submission/inet', null],
      ['master.cf submission/inet -o syslog_name', null],
    ]);
  });
});

describe('openssl plan', () => {
  // Real material from this machine's openssl, as the probe reports it: an EC key, a CSR
  // and a certificate signed with it (as the plan makes them), and a CA certificate.
  // Made when the first openssl test runs (the postconf tests need none of it).
  let made: { keyText: string; csrText: Record<'csr' | 'other.csr', string>; pem: Record<'crt' | 'ca.crt' | 'csr', string> } | undefined;
  const material = () => {
    if (made) return made;
    const dir = mkdtempSync(join(tmpdir(), 'tend-openssl-plan-'));
    const run = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const f = (n: string) => join(dir, n);
    run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f('k'));
    run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f('other'));
    run('req', '-new', '-key', f('k'), '-subj', '/CN=mx.example.org', '-out', f('csr'));
    run('req', '-new', '-key', f('other'), '-subj', '/CN=mx.example.org', '-out', f('other.csr'));
    run('x509', '-req', '-days', '3650', '-in', f('csr'), '-signkey', f('k'), '-out', f('crt'));
    run('req', '-new', '-x509', '-extensions', 'v3_ca', '-key', f('k'), '-subj', '/CN=mx.example.org', '-days', '3650', '-out', f('ca.crt'));
    // What the probe's openssl runs print.
    const req = (n: string) => run('req', '-in', f(n), '-noout', '-subject', '-nameopt', 'RFC2253', '-pubkey');
    made = {
      keyText: run('pkey', '-in', f('k'), '-pubout', '-text_pub'),
      csrText: { csr: req('csr'), 'other.csr': req('other.csr') },
      pem: { crt: readFileSync(f('crt'), 'utf8'), 'ca.crt': readFileSync(f('ca.crt'), 'utf8'), csr: readFileSync(f('csr'), 'utf8') },
    };
    return made;
  };
  const keySection = (stat = 'regular file|root|root|600', parse = 'parse=ok') => `${stat}\n${parse}\n${material().keyText}`;
  const csrSection = (file: 'csr' | 'other.csr' = 'csr') => `parse=ok\n${material().csrText[file]}`;
  const certSection = (file: 'crt' | 'ca.crt' = 'crt') => `pem\n${material().pem[file]}`;
  const params = { key: '/k/mx.key', csr: '/k/mx.csr', certificate: '/k/mx.crt', type: 'ec', size: 256, subject: { CN: 'mx.example.org' } };
  const converged = () => out(keySection(), csrSection(), certSection());
  const reasons = (over: object, probed = converged()) => plan('openssl', { ...params, ...over }, probed).changes.map((c) => `${c.subject}: ${c.reason}`);

  it('converged: nothing (days within a day of what was asked count as the same)', () => {
    assert.deepEqual(plan('openssl', params, converged()), { changes: [], commands: [] });
    assert.deepEqual(plan('openssl', { ...params, days: 3651 }, converged()), { changes: [], commands: [] });
    assert.deepEqual(reasons({ days: 3652 }), ['/k/mx.crt: valid for 3650 days, want 3652']);
    assert.deepEqual(reasons({ days: 3648 }), ['/k/mx.crt: valid for 3650 days, want 3648']);
  });
  it('a failed probe, an unsafe path, or a symbolic link at any of the three paths is refused', () => {
    assert.throws(() => plan('openssl', params, probedFrom(['', '', ''], 127, ' openssl not found\n')), { message: 'openssl not found' });
    assert.throws(() => plan('openssl', params, probedFrom(['', '', ''], 3, '')), { message: 'probe exited 3' });
    assert.throws(() => plan('openssl', params, out(keySection(), 'unsafe /k is writable by alice\n', certSection())), { message: '/k is writable by alice' });
    assert.throws(() => plan('openssl', params, out(keySection('symbolic link|root|root|777'), csrSection(), certSection())), { message: '/k/mx.key is a symbolic link; point the task at the file itself' });
    assert.throws(() => plan('openssl', params, out(keySection(), 'symlink\n', certSection())), { message: '/k/mx.csr is a symbolic link; point the task at the file itself' });
    assert.throws(() => plan('openssl', params, out(keySection(), csrSection(), 'symlink\n')), { message: '/k/mx.crt is a symbolic link; point the task at the file itself' });
  });
  it('a key openssl cannot read without a passphrase is replaced, and everything made from it', () => {
    const p = plan('openssl', params, out(keySection(undefined, 'parse=bad'), csrSection(), certSection()));
    assert.deepEqual(p.changes, [
      { subject: '/k/mx.key', kind: 'set', before: 'private key', after: 'new ec 256 key', reason: 'not readable without a passphrase' },
      { subject: '/k/mx.csr', kind: 'set', before: 'CSR', after: 'CSR for /CN=mx.example.org', reason: 'the key is new' },
      { subject: '/k/mx.crt', kind: 'set', before: 'certificate', after: 'self-signed certificate, 3650 days', reason: 'the key is new' },
    ]);
    assert.equal(p.commands.length, 3);
    assert.match(p.commands[0]!.text, /^openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out new 2>\/dev\/null &&$/m);
    // The old key's owner is kept (chown --reference), the mode is the task's.
    assert.match(p.commands[0]!.text, /^chown -h --reference="\.\.\/\$tend_name" new &&\nchmod -- 0600 new &&$/m);
    assert.match(p.commands[1]!.text, /^openssl req -new -key \/k\/mx\.key -subj \/CN=mx\.example\.org -out new &&$/m);
    assert.match(p.commands[2]!.text, /^openssl x509 -req -days 3650 -in \/k\/mx\.csr -signkey \/k\/mx\.key -out new 2>\/dev\/null &&$/m);
    // CSR and certificate are public, owned by whoever runs tend: nothing copied from the old files.
    for (const c of p.commands.slice(1)) {
      assert.match(c.text, /^chmod -- 0644 new &&$/m);
      assert.doesNotMatch(c.text, /--reference/);
    }
  });
  it('another type or size: a new key of the wanted kind (ed25519, EC P-384, RSA)', () => {
    const ed = plan('openssl', { key: '/k/mx.key', type: 'ed25519' }, out(keySection(), '', ''));
    assert.deepEqual(ed.changes, [{ subject: '/k/mx.key', kind: 'set', before: 'private key', after: 'new ed25519 key', reason: 'is ec 256, want ed25519' }]);
    assert.match(commandsText(ed), /^openssl genpkey -algorithm ED25519 -out new 2>\/dev\/null &&$/m);
    assert.match(commandsText(plan('openssl', { key: '/k/mx.key', type: 'ec', size: 384 }, out(keySection(), '', ''))), /-algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out new/);
    const rsa = plan('openssl', { key: '/k/mx.key', size: 3072 }, out('missing\n', '', ''));
    assert.deepEqual(rsa.changes, [{ subject: '/k/mx.key', kind: 'set', before: null, after: 'new rsa 3072 key', reason: 'missing' }]);
    assert.match(commandsText(rsa), /-algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out new/);
    assert.doesNotMatch(commandsText(rsa), /--reference/, 'a new key has no old one to copy from');
  });
  it('the key’s owner and group are set when asked, through the staging directory, never a new key', () => {
    const p = plan('openssl', { key: '/k/mx.key', type: 'ec', size: 256, owner: 'root', group: 'ssl-cert', mode: '0640' }, out(keySection(), '', ''));
    assert.deepEqual(p.changes.map((c) => c.subject), ['/k/mx.key group', '/k/mx.key mode']);
    assert.match(commandsText(p), /^chown -h -- root:ssl-cert it &&\nchmod -- 0640 it\n\)$/m);
  });
  it('a CSR: unreadable, of another key, or for another subject is made again, and the certificate after it', () => {
    assert.deepEqual(reasons({}, out(keySection(), 'parse=bad\n', certSection())), ['/k/mx.csr: not a readable CSR', '/k/mx.crt: the CSR is new']);
    assert.deepEqual(reasons({}, out(keySection(), csrSection('other.csr'), certSection())), ['/k/mx.csr: does not match the key', '/k/mx.crt: the CSR is new']);
    const p = plan('openssl', params, out(keySection(), 'missing\n', certSection()));
    assert.deepEqual(p.changes[0], { subject: '/k/mx.csr', kind: 'set', before: null, after: 'CSR for /CN=mx.example.org', reason: 'missing' });
    // The subject compared by its parts, whatever their order; written with / and \ escaped.
    const two = plan('openssl', { ...params, subject: { O: 'A/B', CN: 'mx.example.org' } }, converged());
    assert.deepEqual(two.changes.map((c) => c.reason), ['subject is CN=mx.example.org', 'the CSR is new']);
    assert.match(two.commands[0]!.text, /-subj '\/O=A\\\/B\/CN=mx\.example\.org' -out new/);
  });
  it('a certificate: CA or not as asked, inside the renewal window, or missing, is made again', () => {
    const ca = plan('openssl', { ...params, ca: true }, converged());
    assert.deepEqual(ca.changes, [{ subject: '/k/mx.crt', kind: 'set', before: 'certificate', after: 'CA certificate, 3650 days', reason: 'is not a CA certificate' }]);
    // A CA certificate is made by req -x509 with v3_ca, never from the CSR.
    assert.match(ca.commands[0]!.text, /^openssl req -new -x509 -extensions v3_ca -key \/k\/mx\.key -subj \/CN=mx\.example\.org -days 3650 -out new &&$/m);
    assert.deepEqual(plan('openssl', { ...params, ca: true }, out(keySection(), csrSection(), certSection('ca.crt'))), { changes: [], commands: [] });
    assert.deepEqual(reasons({}, out(keySection(), csrSection(), certSection('ca.crt'))), ['/k/mx.crt: is a CA certificate']);
    assert.deepEqual(reasons({ renew_before_days: 4000 }), ['/k/mx.crt: expires within 4000 days']);
    const missing = plan('openssl', params, out(keySection(), csrSection(), 'missing\n'));
    assert.deepEqual(missing.changes, [{ subject: '/k/mx.crt', kind: 'set', before: null, after: 'self-signed certificate, 3650 days', reason: 'missing' }]);
    // Without a CSR, self-signed straight from the key.
    const noCsr = plan('openssl', { key: '/k/mx.key', certificate: '/k/mx.crt', type: 'ec', size: 256, subject: { CN: 'other' } }, out(keySection(), '', certSection()));
    assert.deepEqual(noCsr.changes.map((c) => c.reason), ['subject is CN=mx.example.org']);
    assert.match(commandsText(noCsr), /^openssl req -new -x509 {2}-key \/k\/mx\.key -subj \/CN=other -days 3650 -out new &&$/m);
    assert.deepEqual(reasons({}, out(keySection(), csrSection(), `pem\n${material().pem.csr}`)), ['/k/mx.crt: not a readable certificate']);
  });
});
