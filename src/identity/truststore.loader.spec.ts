import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import forge from 'node-forge';
import { ConnectorError } from '../common/connector.error.js';
import { createDevCa } from './dev-pki.js';
import { loadTruststore } from './truststore.loader.js';
import { workerForge } from '../../test/support/forge.fixture.js';

describe('loadTruststore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-trust-'));
  const a = createDevCa('CA a');
  const b = createDevCa('CA b');

  it('reads a PEM bundle', async () => {
    const file = join(dir, 'bundle.pem');
    writeFileSync(file, a.certPem + '\n' + b.certPem);
    assert.equal((await loadTruststore(file, 'x', workerForge)).length, 2);
  });

  it('reads a certificates-only PKCS#12 truststore, as Java keytool writes one (in a worker thread)', async () => {
    const file = join(dir, 'truststore.p12');
    const asn1 = forge.pkcs12.toPkcs12Asn1(
      null,
      [forge.pki.certificateFromPem(a.certPem), forge.pki.certificateFromPem(b.certPem)],
      'changeit',
      { algorithm: '3des' },
    );
    writeFileSync(file, Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
    const pems = await loadTruststore(file, 'changeit', workerForge);
    assert.equal(pems.length, 2);
    assert.ok(pems.some((p) => forge.pki.certificateFromPem(p).subject.getField('CN').value === 'CA b'));
  });

  it('names the setting when the file is neither', async () => {
    const file = join(dir, 'junk.bin');
    writeFileSync(file, 'junk');
    await assert.rejects(
      loadTruststore(file, 'x', workerForge),
      (e: unknown) => e instanceof ConnectorError && e.field === 'FEP_TRUSTSTORE',
    );
  });
});
