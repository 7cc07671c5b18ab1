import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConnectorError } from '../common/connector.error.js';
import type { IdentitySettings } from './identity.settings.js';
import { devIdentityFiles, loadIdentity } from './identity.loader.js';
import { workerForge } from '../../test/support/forge.fixture.js';

const quiet = { log: (): void => undefined, warn: (): void => undefined };
const publicUrl = 'https://localhost:8443';

function settings(certsDir: string, keystorePassword: string): { identity: IdentitySettings; server: { publicUrl: string } } {
  return { identity: { certsDir, keystorePassword, truststorePassword: 'x' } as IdentitySettings, server: { publicUrl } };
}

describe('loadIdentity with a generated development identity', () => {
  it('reads a restart from the PEM files it wrote after the keystore, and the keystore when they do not fit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fep-identity-'));
    const files = devIdentityFiles(publicUrl);
    const first = await loadIdentity(settings(dir, 'right'), quiet, workerForge);
    assert.equal(first.source, join(dir, files.keystore));
    assert.equal(first.chainPems.length, 1);

    // The PEM files are read without the keystore's password: a wrong one does not matter while they fit.
    const again = await loadIdentity(settings(dir, 'wrong'), quiet, workerForge);
    assert.deepEqual(
      [again.certPem.trim(), again.keyPem.trim(), again.chainPems.map((p) => p.trim())],
      [first.certPem.trim(), first.keyPem.trim(), first.chainPems.map((p) => p.trim())],
    );

    // A key that is not the certificate's: the keystore is read (the right password gives the same identity).
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' });
    writeFileSync(join(dir, files.key), other);
    const fromKeystore = await loadIdentity(settings(dir, 'right'), quiet, workerForge);
    assert.equal(fromKeystore.certPem.trim(), first.certPem.trim());
    assert.notEqual(fromKeystore.keyPem.trim(), String(other).trim());
    await assert.rejects(
      loadIdentity(settings(dir, 'wrong'), quiet, workerForge),
      (e: unknown) => e instanceof ConnectorError && /wrong keystore password/.test(e.message),
    );

    writeFileSync(join(dir, files.key), first.keyPem);
    await loadIdentity(settings(dir, 'wrong'), quiet, workerForge);

    // A certificate file cut off after the connector's own certificate (a crash while writing it): the keystore.
    const certFile = join(dir, files.cert);
    const whole = readFileSync(certFile, 'utf8');
    writeFileSync(certFile, first.certPem);
    await assert.rejects(loadIdentity(settings(dir, 'wrong'), quiet, workerForge), /wrong keystore password/);
    writeFileSync(certFile, whole);
    await loadIdentity(settings(dir, 'wrong'), quiet, workerForge);

    // A keystore newer than the PEM files (replaced by hand) is what counts.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, files.keystore), later, later);
    await assert.rejects(loadIdentity(settings(dir, 'wrong'), quiet, workerForge), /wrong keystore password/);
  });
});
