/**
 * Development PKI: a CA and certificates it issues, made with node-forge. Certificates carry the
 * SubjectKeyIdentifier and AuthorityKeyIdentifier extensions, because an Omejdn DAPS identifies a connector
 * by `SKI:keyid:AKI` (IDS-G Components/IdentityProvider/DAPS/README.md; Omejdn docs/Usage/Clients.md).
 * Not for production: the CA key sits next to the certificates.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface KeyAndCert {
  keyPem: string;
  certPem: string;
}

function newKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Node's native generator: forge's pure-JS RSA takes seconds on an ARM edge node.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem);
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

/**
 * A certificate serial as hex: a positive, minimally encoded DER INTEGER (RFC 5280 4.1.2.2), so its first byte is
 * 0x01-0x7f. node-forge writes the hex as given, and a leading 0x00 before a byte below 0x80 is "illegal padding"
 * to OpenSSL.
 */
export function newSerial(): string {
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01;
  return serial.toString('hex');
}

function baseCertificate(publicKey: forge.pki.PublicKey, days: number, now: Date): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = newSerial();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + days * 86_400_000);
  return cert;
}

export function createDevCa(commonName: string, now = new Date()): KeyAndCert {
  const { privateKey, publicKey } = newKeyPair();
  const cert = baseCertificate(publicKey, 3650, now);
  const subject = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'fep-connector development CA' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: true },
  ]);
  cert.sign(privateKey, forge.md.sha256.create());
  return { keyPem: forge.pki.privateKeyToPem(privateKey), certPem: forge.pki.certificateToPem(cert) };
}

export interface IssueOptions {
  commonName: string;
  dnsNames: string[];
  ipAddresses: string[];
  days?: number;
  now?: Date;
}

/** Issue a TLS server + client certificate signed by the CA. */
export function issueCertificate(ca: KeyAndCert, options: IssueOptions): KeyAndCert {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const { privateKey, publicKey } = newKeyPair();
  const cert = baseCertificate(publicKey, options.days ?? 825, options.now ?? new Date());
  cert.setSubject([
    { name: 'commonName', value: options.commonName },
    { name: 'organizationName', value: 'fep-connector' },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  const caSki = caCert.generateSubjectKeyIdentifier().getBytes();
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...options.dnsNames.map((value) => ({ type: 2, value })), ...options.ipAddresses.map((ip) => ({ type: 7, ip }))],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caSki },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { keyPem: forge.pki.privateKeyToPem(privateKey), certPem: forge.pki.certificateToPem(cert) };
}
