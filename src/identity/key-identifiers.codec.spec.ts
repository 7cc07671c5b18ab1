import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import forge from 'node-forge';
import { createDevCa, issueCertificate } from './dev-pki.js';
import { readKeyIdentifiers } from './key-identifiers.codec.js';

/** The same two fields as node-forge reads them: an independent DER parser. */
function forgeKeyIdentifiers(pem: string): { ski?: string; aki?: string } {
  const cert = forge.pki.certificateFromPem(pem);
  const ext = (id: string): string | undefined => (cert.extensions as { id: string; value?: string }[]).find((e) => e.id === id)?.value;
  const ski = ext('2.5.29.14');
  const aki = ext('2.5.29.35');
  const keyId = aki && (forge.asn1.fromDer(aki).value as forge.asn1.Asn1[]).find((n) => (n.type as number) === 0);
  return {
    ...(ski ? { ski: forge.util.bytesToHex(forge.asn1.fromDer(ski).value as string) } : {}),
    ...(keyId ? { aki: forge.util.bytesToHex(keyId.value as string) } : {}),
  };
}

const hex = (ids: { ski?: Buffer; aki?: Buffer }): { ski?: string; aki?: string } => ({
  ...(ids.ski ? { ski: ids.ski.toString('hex') } : {}),
  ...(ids.aki ? { aki: ids.aki.toString('hex') } : {}),
});

describe('X.509 key identifiers from DER', () => {
  const ca = createDevCa('test CA');
  const leaf = issueCertificate(ca, { commonName: 'connector-a', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });

  it('reads SKI and AKI as node-forge does, for a CA and a leaf', () => {
    for (const pem of [ca.certPem, leaf.certPem]) {
      const read = hex(readKeyIdentifiers(new X509Certificate(pem).raw));
      assert.deepEqual(read, forgeKeyIdentifiers(pem));
      assert.equal(read.ski?.length, 40);
    }
    assert.equal(readKeyIdentifiers(new X509Certificate(leaf.certPem).raw).aki?.toString('hex'), forgeKeyIdentifiers(ca.certPem).ski);
  });

  it('gives neither for a certificate without the extensions', () => {
    const keys = forge.pki.rsa.generateKeyPair(1024);
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date();
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    cert.setSubject([{ name: 'commonName', value: 'plain' }]);
    cert.setIssuer([{ name: 'commonName', value: 'plain' }]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
    assert.deepEqual(readKeyIdentifiers(der), {});
  });

  it('refuses cut-off or foreign DER with a message, never reads past the end', () => {
    const der = new X509Certificate(leaf.certPem).raw;
    assert.throws(() => readKeyIdentifiers(der.subarray(0, der.length - 40)), /truncated DER/);
    assert.throws(() => readKeyIdentifiers(Buffer.from([0x02, 0x01, 0x00])), /not an X\.509 certificate/);
    assert.throws(() => readKeyIdentifiers(Buffer.alloc(1)), /truncated DER/);
  });
});
