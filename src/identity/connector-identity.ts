/**
 * The connector's identity: key, certificate, and what the IDS derives from them.
 * Client id format `SKI:keyid:AKI` (upper-case hex bytes joined by colons) as Omejdn DAPS and TRUE Connector
 * build it (IDS-G Components/IdentityProvider/DAPS/README.md; TRUE DapsUtilityProvider.java).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readKeyIdentifiers } from './key-identifiers.codec.js';

export type { ConnectorIdentity } from '../ids/seams/identity.seam.js';

function colonHex(bytes: Buffer): string {
  return (bytes.toString('hex').toUpperCase().match(/../g) ?? []).join(':');
}

/** The SubjectKeyIdentifier and the AuthorityKeyIdentifier's keyIdentifier, as colon-separated hex. */
export function keyIdentifiers(certPem: string): { ski: string; aki: string } {
  const { ski, aki } = readKeyIdentifiers(new X509Certificate(certPem).raw);
  if (!ski || !aki) {
    throw new Error('the certificate lacks the SubjectKeyIdentifier or AuthorityKeyIdentifier extension that a DAPS needs');
  }
  return { ski: colonHex(ski), aki: colonHex(aki) };
}

export function dapsClientId(certPem: string): string {
  const { ski, aki } = keyIdentifiers(certPem);
  return `${ski}:keyid:${aki}`;
}

/** Base64 DER of the SubjectPublicKeyInfo, for `ids:publicKey` / `ids:keyValue`. */
export function publicKeyBase64(certPem: string): string {
  return new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** Lower-case hex SHA-256 of the DER certificate: the DAT's `transportCertsSha256`. */
export function certificateSha256(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}
