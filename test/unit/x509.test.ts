// The certificate fields the openssl module reads itself (tasks/lib/x509.ts) against
// node's own X509Certificate, over certificates this machine's openssl makes: RSA and EC,
// version 1 and 3, CA or not, UTCTime and GeneralizedTime, subjects with commas and UTF-8.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { certificateFields } from '../../tasks/lib/x509.ts';

function make(args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tend-x509-'));
  execFileSync('openssl', ['genpkey', '-algorithm', args.includes('ec') ? 'EC' : 'RSA', ...(args.includes('ec') ? ['-pkeyopt', 'ec_paramgen_curve:P-256'] : []), '-out', join(dir, 'k')], { stdio: 'ignore' });
  const rest = args.filter((a) => a !== 'ec');
  if (rest[0] === 'v1') {
    execFileSync('openssl', ['req', '-new', '-key', join(dir, 'k'), '-subj', rest[1]!, '-out', join(dir, 'csr')], { stdio: 'ignore' });
    execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'csr'), '-signkey', join(dir, 'k'), '-days', rest[2]!, '-out', join(dir, 'c')], { stdio: 'ignore' });
  } else {
    execFileSync('openssl', ['req', '-new', '-x509', '-utf8', '-key', join(dir, 'k'), '-subj', rest[0]!, '-days', rest[1]!, ...rest.slice(2), '-out', join(dir, 'c')], { stdio: 'ignore' });
  }
  return readFileSync(join(dir, 'c'), 'utf8');
}

const CASES: [string, string[]][] = [
  ['RSA, v3 from req -x509 (CA:TRUE from the configuration)', ['/CN=mail.example.org', '3650']],
  ['RSA, v1 from x509 -req -signkey (no extensions)', ['v1', '/CN=tend-1.localdomain', '3650']],
  ['EC P-256, not a CA', ['ec', '/CN=ec.example', '90', '-addext', 'basicConstraints=critical,CA:FALSE']],
  ['a subject with several attributes, a comma and UTF-8', ['/C=FR/O=Exemple, SA/OU=Messagerie/CN=réception.example', '30']],
  ['valid past 2050 (GeneralizedTime)', ['/CN=long.example', '36500']],
];

describe('certificate fields read from DER', () => {
  for (const [what, args] of CASES) {
    it(what, () => {
      const pem = make(args);
      const ours = certificateFields(pem);
      const node = new X509Certificate(pem);
      const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
      assert.deepEqual([...ours.subject].sort(), node.subject.split('\n').map(unescape).sort());
      assert.equal(ours.notBefore, Date.parse(node.validFrom));
      assert.equal(ours.notAfter, Date.parse(node.validTo));
      assert.equal(ours.ca, node.ca);
      assert.equal(ours.publicKeyPem, node.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    });
  }
  it('text that is not a certificate is an error, not a guess', () => {
    assert.throws(() => certificateFields('hello'), { name: 'Error', message: 'no certificate' });
    // Framed like a certificate, but its DER is three zero bytes: said so, never a TypeError from deep inside.
    assert.throws(() => certificateFields('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), { name: 'Error', message: /^a certificate that cannot be read/ });
  });
});
