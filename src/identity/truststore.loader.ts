import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { ConnectorError } from '../common/connector.error.js';
import { pemCertificates } from './pem.codec.js';

/** CA certificates (PEM) from a PEM bundle or a PKCS#12 truststore, as Java tooling writes them. */
export function loadTruststore(path: string, password: string): string[] {
  const bytes = readFileSync(path);
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) return pemCertificates(text);
  try {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(text), false, password);
    const bags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
    return bags.flatMap((bag) => (bag.cert ? [forge.pki.certificateToPem(bag.cert)] : []));
  } catch (error) {
    throw new ConnectorError(
      'BAD_INPUT',
      `Cannot read truststore ${path} (PEM bundle or PKCS#12, FEP_TRUSTSTORE_PASSWORD): ${error instanceof Error ? error.message : String(error)}`,
      'FEP_TRUSTSTORE',
    );
  }
}
