import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { createDevCa, issueCertificate, newSerial } from './dev-pki.js';

describe('dev PKI', () => {
  it('serials are positive, minimal DER integers (a serial starting with a zero byte made the certificate unreadable)', () => {
    for (let i = 0; i < 10_000; i++) {
      const first = parseInt(newSerial().slice(0, 2), 16);
      assert.ok(first >= 0x01 && first <= 0x7f, `first byte ${first}`);
    }
  });

  it('issued certificates parse in OpenSSL and chain to the CA', () => {
    const ca = createDevCa('spec CA');
    const leaf = new X509Certificate(
      issueCertificate(ca, { commonName: 'leaf', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }).certPem,
    );
    assert.ok(leaf.checkIssued(new X509Certificate(ca.certPem)));
    assert.match(leaf.serialNumber, /^[0-7][0-9A-F]{31}$/);
  });
});
