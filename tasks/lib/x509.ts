// The few fields of a PEM certificate the openssl module compares — subject attributes,
// validity, the public key, basicConstraints' CA flag — read straight from its DER.
// node's X509Certificate reads all of it, and costs 0.2 ms a certificate: with two
// certificates per host, a tenth of the controller's CPU per converged host.
// test/unit/x509.test.ts checks every field against X509Certificate.

interface Tlv {
  tag: number;
  /** Where the element begins (its tag), where its value starts, and ends (exclusive). */
  header: number;
  start: number;
  end: number;
}

function readTlv(der: Buffer, at: number): Tlv {
  const tag = der[at]!;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let k = 0; k < bytes; k++) length = length * 256 + der[start + k]!;
    start += bytes;
  }
  const end = start + length;
  if (end > der.length) throw new Error('truncated DER');
  return { tag, header: at, start, end };
}

/** The elements inside a constructed value. */
function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const t = readTlv(der, at);
    out.push(t);
    at = t.end;
  }
  return out;
}

function oid(der: Buffer, t: Tlv): string {
  const bytes = der.subarray(t.start, t.end);
  const parts = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let value = 0;
  for (let k = 1; k < bytes.length; k++) {
    value = value * 128 + (bytes[k]! & 0x7f);
    if (!(bytes[k]! & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** The short names openssl uses for subject attributes. */
const ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '2.5.4.9': 'street',
  '2.5.4.17': 'postalCode',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

function text(der: Buffer, t: Tlv): string {
  const bytes = der.subarray(t.start, t.end);
  if (t.tag === 0x1e) return Buffer.from(bytes).swap16().toString('utf16le'); // BMPString: UTF-16 big-endian
  return bytes.toString(t.tag === 0x0c ? 'utf8' : 'latin1');
}

function time(der: Buffer, t: Tlv): number {
  const s = der.subarray(t.start, t.end).toString('latin1');
  // UTCTime YYMMDDHHMMSSZ (years 1950–2049), GeneralizedTime YYYYMMDDHHMMSSZ.
  const full = t.tag === 0x17 ? `${Number(s.slice(0, 2)) >= 50 ? '19' : '20'}${s}` : s;
  return Date.UTC(+full.slice(0, 4), +full.slice(4, 6) - 1, +full.slice(6, 8), +full.slice(8, 10), +full.slice(10, 12), +full.slice(12, 14));
}

export interface CertificateFields {
  /** `KEY=value` per subject attribute, in the certificate's order. */
  subject: string[];
  notBefore: number;
  notAfter: number;
  /** The SubjectPublicKeyInfo, as PEM (as `openssl x509 -pubkey` prints it). */
  publicKeyPem: string;
  ca: boolean;
}

/** The first certificate of a PEM text; throws when there is none or it cannot be read. */
export function certificateFields(pem: string): CertificateFields {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  if (body === undefined) throw new Error('no certificate');
  const der = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  try {
    return fieldsOf(der);
  } catch (e) {
    // Truncated or foreign DER fails deep inside the reader: say what it was.
    throw new Error(`a certificate that cannot be read (${(e as Error).message})`);
  }
}

function fieldsOf(der: Buffer): CertificateFields {
  const certificate = readTlv(der, 0);
  const tbs = children(der, certificate)[0]!;
  const fields = children(der, tbs);
  // An explicit version ([0]) comes first when present; then serial, signature, issuer,
  // validity, subject, subjectPublicKeyInfo, and the optional [1] [2] [3] (extensions).
  const at = fields[0]!.tag === 0xa0 ? 1 : 0;
  const [validity, subject, spki] = [fields[at + 3]!, fields[at + 4]!, fields[at + 5]!];
  const [notBefore, notAfter] = children(der, validity).map((t) => time(der, t));
  const names = children(der, subject).flatMap((rdn) =>
    children(der, rdn).map((attribute) => {
      const [type, value] = children(der, attribute);
      const id = oid(der, type!);
      return `${ATTRIBUTES[id] ?? id}=${text(der, value!)}`;
    }),
  );
  let ca = false;
  const extensions = fields.find((f) => f.tag === 0xa3);
  if (extensions) {
    for (const extension of children(der, children(der, extensions)[0]!)) {
      const parts = children(der, extension);
      if (oid(der, parts[0]!) !== '2.5.29.19') continue;
      // basicConstraints: [critical BOOLEAN] OCTET STRING { SEQUENCE { [cA BOOLEAN] … } }
      const value = parts[parts.length - 1]!;
      const constraints = readTlv(der, value.start);
      const first = children(der, constraints)[0];
      ca = first !== undefined && first.tag === 0x01 && der[first.start] !== 0;
    }
  }
  const spkiBase64 = der.subarray(spki.header, spki.end).toString('base64');
  const publicKeyPem = `-----BEGIN PUBLIC KEY-----\n${spkiBase64.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
  return { subject: names, notBefore: notBefore!, notAfter: notAfter!, publicKeyPem, ca };
}
