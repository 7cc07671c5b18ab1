import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dapsClientId } from '../../src/identity/connector-identity.js';
import { createDevCa, issueCertificate, type KeyAndCert } from '../../src/identity/dev-pki.js';
import { writePkcs12 } from '../../src/identity/pkcs12.codec.js';
import { certSha256, type TestDaps } from './test-daps.server.js';

export interface Party extends KeyAndCert {
  name: string;
  connectorId: string;
  keystore: string;
  clientId: string;
  sha256: string;
}

/** An operator CA and connector identities it issues (keystores on disk), for TLS and DAPS tests. */
export function makePki(names: string[]): { dir: string; caPem: string; caFile: string; parties: Record<string, Party> } {
  const dir = mkdtempSync(join(tmpdir(), 'fep-pki-'));
  const ca = createDevCa('test operator CA');
  const caFile = join(dir, 'ca.crt.pem');
  writeFileSync(caFile, ca.certPem);
  const parties: Record<string, Party> = {};
  for (const name of names) {
    const leaf = issueCertificate(ca, { commonName: name, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    const keystore = join(dir, `${name}.p12`);
    writeFileSync(keystore, writePkcs12({ ...leaf, chainPems: [ca.certPem] }, 'pw', name));
    parties[name] = {
      ...leaf,
      name,
      connectorId: `https://${name}.example/connector`,
      keystore,
      clientId: dapsClientId(leaf.certPem),
      sha256: certSha256(leaf.certPem),
    };
  }
  return { dir, caPem: ca.certPem, caFile, parties };
}

/** Registers a party at the test DAPS as Omejdn would have it: its certificate, connector and TLS binding. */
export function register(daps: TestDaps, party: Party, securityProfile = 'idsc:BASE_SECURITY_PROFILE'): void {
  daps.register(party.clientId, {
    certPem: party.certPem,
    referringConnector: party.connectorId,
    transportCertsSha256: party.sha256,
    securityProfile,
  });
}

/** Environment of a connector in omejdn mode with this identity, HTTPS and the operator CA as truststore. */
export function omejdnEnv(party: Party, caFile: string, daps: TestDaps, extra: Record<string, string> = {}): Record<string, string> {
  return {
    FEP_TLS: 'true',
    FEP_KEYSTORE: party.keystore,
    FEP_KEYSTORE_PASSWORD: 'pw',
    FEP_TRUSTSTORE: caFile,
    FEP_CONNECTOR_ID: party.connectorId,
    FEP_DAPS_MODE: 'omejdn',
    FEP_DAPS_ISSUER: daps.issuer,
    ...extra,
  };
}
