/**
 * The connector's identity: key, certificate, and what the IDS derives from them.
 * Client id format `SKI:keyid:AKI` (upper-case hex bytes joined by colons) as Omejdn DAPS and TRUE Connector
 * build it (IDS-G Components/IdentityProvider/DAPS/README.md; TRUE DapsUtilityProvider.java).
 */
import { createHash } from 'node:crypto';
import forge from 'node-forge';

export type { ConnectorIdentity } from '../ids/seams/identity.seam.js';

const OID_SKI = '2.5.29.14';
const OID_AKI = '2.5.29.35';

function colonHex(bytes: string): string {
  return (forge.util.bytesToHex(bytes).toUpperCase().match(/../g) ?? []).join(':');
}

/** The SubjectKeyIdentifier and the AuthorityKeyIdentifier's keyIdentifier, as colon-separated hex. */
export function keyIdentifiers(certPem: string): { ski: string; aki: string } {
  const cert = forge.pki.certificateFromPem(certPem);
  const ext = (id: string): { value?: string } | undefined =>
    (cert.extensions as { id: string; value?: string }[]).find((e) => e.id === id);
  const skiExt = ext(OID_SKI);
  const akiExt = ext(OID_AKI);
  if (!skiExt?.value || !akiExt?.value) {
    throw new Error('the certificate lacks the SubjectKeyIdentifier or AuthorityKeyIdentifier extension that a DAPS needs');
  }
  // SKI extension value: OCTET STRING. AKI: SEQUENCE { [0] keyIdentifier, ... }.
  const ski = forge.asn1.fromDer(skiExt.value).value as string;
  const akiSeq = forge.asn1.fromDer(akiExt.value).value as forge.asn1.Asn1[];
  const keyId = akiSeq.find(
    (node) => (node.tagClass as number) === (forge.asn1.Class.CONTEXT_SPECIFIC as number) && (node.type as number) === 0,
  );
  if (!keyId) throw new Error('the AuthorityKeyIdentifier has no keyIdentifier');
  return { ski: colonHex(ski), aki: colonHex(keyId.value as string) };
}

export function dapsClientId(certPem: string): string {
  const { ski, aki } = keyIdentifiers(certPem);
  return `${ski}:keyid:${aki}`;
}

/** Base64 DER of the SubjectPublicKeyInfo, for `ids:publicKey` / `ids:keyValue`. */
export function publicKeyBase64(certPem: string): string {
  const cert = forge.pki.certificateFromPem(certPem);
  const der = forge.asn1.toDer(forge.pki.publicKeyToAsn1(cert.publicKey)).getBytes();
  return Buffer.from(der, 'binary').toString('base64');
}

/** Lower-case hex SHA-256 of the DER certificate: the DAT's `transportCertsSha256`. */
export function certificateSha256(certPem: string): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(certPem))).getBytes();
  return createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex');
}
