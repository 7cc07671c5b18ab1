import { readFileSync } from 'node:fs';
import { ConnectorError } from '../common/connector.error.js';
import type { ForgeRunner } from './forge.runner.js';
import { pemCertificates } from './pem.codec.js';

/** CA certificates (PEM) from a PEM bundle or a PKCS#12 truststore, as Java tooling writes them. */
export async function loadTruststore(path: string, password: string, forge: ForgeRunner): Promise<string[]> {
  const bytes = readFileSync(path);
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) return pemCertificates(text);
  try {
    return await forge('readTruststore', { der: bytes, password, source: path });
  } catch (error) {
    throw new ConnectorError(
      'BAD_INPUT',
      `Cannot read truststore ${path} (PEM bundle or PKCS#12, FEP_TRUSTSTORE_PASSWORD): ${error instanceof Error ? error.message : String(error)}`,
      'FEP_TRUSTSTORE',
    );
  }
}
