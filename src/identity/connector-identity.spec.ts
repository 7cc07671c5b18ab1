import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConnectorError } from '../common/connector.error.js';
import { certificateSha256, dapsClientId, keyIdentifiers, publicKeyBase64 } from './connector-identity.js';
import { createDevCa, issueCertificate } from './dev-pki.js';
import { readPkcs12, writePkcs12 } from './pkcs12.codec.js';

describe('development PKI and connector identity', () => {
  const ca = createDevCa('test CA');
  const leaf = issueCertificate(ca, { commonName: 'connector-a', dnsNames: ['localhost', 'connector-a'], ipAddresses: ['127.0.0.1'] });

  it('issues a certificate the CA verifies, for the names asked', () => {
    const cert = new X509Certificate(leaf.certPem);
    assert.ok(cert.verify(new X509Certificate(ca.certPem).publicKey));
    assert.match(cert.subjectAltName ?? '', /DNS:connector-a/);
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.equal(cert.checkHost('localhost'), 'localhost');
  });

  it('derives the Omejdn client id SKI:keyid:AKI, the AKI being the CA key id', () => {
    const id = dapsClientId(leaf.certPem);
    assert.match(id, /^([0-9A-F]{2}:){19}[0-9A-F]{2}:keyid:([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    assert.equal(keyIdentifiers(leaf.certPem).aki, keyIdentifiers(ca.certPem).ski);
    assert.notEqual(keyIdentifiers(leaf.certPem).ski, keyIdentifiers(ca.certPem).ski);
  });

  it('gives the DER public key and the certificate SHA-256 as openssl would', () => {
    const cert = new X509Certificate(leaf.certPem);
    assert.equal(certificateSha256(leaf.certPem), cert.fingerprint256.replace(/:/g, '').toLowerCase());
    assert.equal(publicKeyBase64(leaf.certPem), cert.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
  });

  it('round-trips a PKCS#12 keystore and finds the leaf among the chain', () => {
    const p12 = writePkcs12({ ...leaf, chainPems: [ca.certPem] }, 'pw', 'connector');
    const read = readPkcs12(p12, 'pw', 'test.p12');
    assert.equal(dapsClientId(read.certPem), dapsClientId(leaf.certPem));
    assert.equal(read.chainPems.length, 1);
  });

  it('names a wrong keystore password clearly', () => {
    const p12 = writePkcs12({ ...leaf, chainPems: [] }, 'right', 'connector');
    assert.throws(
      () => readPkcs12(p12, 'wrong', 'test.p12'),
      (e: unknown) => e instanceof ConnectorError && /wrong keystore password/.test(e.message),
    );
    assert.throws(() => readPkcs12(Buffer.from('not a keystore'), 'x', 'junk.p12'), /Cannot open keystore junk\.p12/);
  });
});
