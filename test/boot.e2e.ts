import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildApp } from '../src/app.factory.js';
import { loadConfig } from '../src/app.settings.js';
import { DEFAULT_MODEL } from '../src/data-apps/occupancy/occupancy.app.js';
import { DEMO_PHOTO } from '../src/data-apps/occupancy/simulator/demo-frames.js';
import { dapsClientId } from '../src/identity/connector-identity.js';
import { createDevCa, issueCertificate } from '../src/identity/dev-pki.js';
import { writePkcs12 } from '../src/identity/pkcs12.codec.js';
import { devIdentityFiles } from '../src/identity/identity.loader.js';
import { send } from './support/http.client.js';
import { waitFor } from './support/wait.js';
import { startTestApp } from './support/test-app.js';

describe('boot: identity, HTTPS, persistence (e2e)', () => {
  it('generates a dev CA and connector certificate on first start and serves HTTPS with it', async () => {
    const t = await startTestApp({ FEP_TLS: 'true' });
    try {
      const own = devIdentityFiles(t.config.server.publicUrl);
      for (const file of ['dev-ca.crt.pem', 'dev-ca.key.pem', own.keystore, own.cert, own.key]) {
        assert.ok(existsSync(join(t.dir, 'certs', file)), file);
      }
      assert.ok(t.baseUrl.startsWith('https://'));
      const ca = readFileSync(join(t.dir, 'certs', 'dev-ca.crt.pem'), 'utf8');
      const res = await send('GET', t.baseUrl + '/', { ca });
      assert.equal(res.status, 200);
      assert.equal(res.json()['@type'], 'ids:BaseConnector');
      await assert.rejects(send('GET', t.baseUrl + '/'), /self-signed|unable to verify|certificate/i, 'untrusted without the dev CA');
      const cert = new X509Certificate(t.identity.certPem);
      assert.ok(cert.verify(new X509Certificate(ca).publicKey));
      assert.match(dapsClientId(t.identity.certPem), /:keyid:/);
    } finally {
      await t.close();
    }
  });

  it('keeps its identity and its catalog across a restart', async () => {
    const first = await startTestApp({ FEP_TLS: 'true' });
    const created = await first.call('POST', '/api/resources', { json: { title: 'survives restarts' } });
    assert.equal(created.status, 201);
    await first.stop();
    const second = await startTestApp({ FEP_TLS: 'true' }, { restartOf: first });
    try {
      assert.equal(second.identity.certPem, first.identity.certPem);
      const again = await second.call('GET', `/api/resources/${created.json().id}`);
      assert.equal(again.status, 200);
      assert.equal(again.json().title, 'survives restarts');
    } finally {
      await second.close();
    }
  });

  it('refuses a second connector on the same SQLite data directory at boot; the first keeps serving', async (t) => {
    const first = await startTestApp();
    try {
      if (first.database !== undefined) return t.skip('PostgreSQL: instances may share a store');
      // The counters of N_TIMES_USAGE are kept in memory on SQLite: two processes on one file would each count alone.
      await assert.rejects(startTestApp({}, { restartOf: first }), /fep\.sqlite is held by another process/);
      assert.equal((await first.call('GET', '/api/resources')).status, 200);
    } finally {
      await first.close();
    }
  });

  it('loads a configured PKCS#12 keystore, and stops with a clear error on a wrong password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fep-keystore-'));
    const ca = createDevCa('operator CA');
    const leaf = issueCertificate(ca, { commonName: 'edge-1', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    const keystore = join(dir, 'edge-1.p12');
    writeFileSync(keystore, writePkcs12({ ...leaf, chainPems: [ca.certPem] }, 'op-secret', 'edge-1'));
    const t = await startTestApp({ FEP_KEYSTORE: keystore, FEP_KEYSTORE_PASSWORD: 'op-secret' });
    try {
      assert.equal(dapsClientId(t.identity.certPem), dapsClientId(leaf.certPem));
      assert.equal(
        existsSync(join(t.dir, 'certs', devIdentityFiles(t.config.server.publicUrl).keystore)),
        false,
        'no dev identity generated',
      );
    } finally {
      await t.close();
    }
    const config = loadConfig(
      {
        FEP_KEYSTORE: keystore,
        FEP_KEYSTORE_PASSWORD: 'wrong',
        FEP_DATA_DIR: join(dir, 'data'),
        FEP_TLS: 'false',
        FEP_DAPS_MODE: 'disabled',
      },
      dir,
    );
    await assert.rejects(
      buildApp(config, { logger: false }),
      /Cannot open keystore .*edge-1\.p12: wrong keystore password \(FEP_KEYSTORE_PASSWORD\)/,
    );
  });

  it('generates the admin password when none is configured, and never accepts an empty one', async () => {
    const t = await startTestApp({ FEP_ADMIN_PASSWORD: '' });
    try {
      const file = join(t.config.storage.dataDir, 'admin-password');
      const password = readFileSync(file, 'utf8').trim();
      assert.ok(password.length >= 20);
      const basic = (p: string): Record<string, string> => ({ authorization: 'Basic ' + Buffer.from(`admin:${p}`).toString('base64') });
      assert.equal((await t.call('GET', '/api/catalogs', { admin: false, headers: basic(password) })).status, 200);
      assert.equal((await t.call('GET', '/api/catalogs', { admin: false, headers: basic('') })).status, 401);
    } finally {
      await t.close();
    }
  });

  it('serves Swagger UI and the OpenAPI document with the DTO schemas, to the admin only (every spelling)', async () => {
    const t = await startTestApp();
    try {
      // Hardening round 3, finding 11: the document (the whole admin surface) answered without credentials.
      for (const path of ['/api/docs', '/api/docs-json', '/api/docs-yaml', '/API/DOCS-JSON', '/api/docs-json/', '//api/docs-yaml']) {
        const refused = await t.call('GET', path, { admin: false });
        assert.equal(refused.status, 401, `${path}: ${refused.status}`);
        assert.match(String(refused.headers['www-authenticate']), /^Basic realm=/);
      }
      const ui = await t.call('GET', '/api/docs');
      assert.equal(ui.status, 200);
      assert.match(ui.text, /swagger-ui/i);
      const doc = (await t.call('GET', '/api/docs-json')).json<any>();
      assert.ok(doc.paths['/api/resources'].post);
      assert.ok(doc.paths['/api/offeredResource'].put);
      assert.deepEqual(doc.components.schemas.CreateResourceDto.required, ['title']);
      assert.ok(doc.components.securitySchemes.basic);
    } finally {
      await t.close();
    }
  });

  it('seeds the demo catalog with FEP_DEMO, its artifacts download, and the apps run on a simulated PLC and camera', async () => {
    const t = await startTestApp({
      FEP_DEMO: 'true',
      // Port 0: the simulators bind what the kernel gives (no window in which a port found free is taken).
      FEP_DEMO_PLC_PORT: '0',
      FEP_DEMO_CAMERA_PORT: '0',
    });
    const detector = existsSync(DEFAULT_MODEL) && existsSync(DEMO_PHOTO);
    try {
      const artifacts = (await t.call('GET', '/api/artifacts')).json<any>().items as any[];
      const uploaded = artifacts.filter((a) => a.sourceType === 'upload');
      assert.equal(uploaded.length, 2);
      const data = await t.call('GET', `/api/artifacts/${uploaded[0].id}/data`);
      assert.equal(data.status, 200);
      assert.match(String(data.headers['content-type']), /application\/json/);
      assert.equal(JSON.parse(data.text).unit, 'people');
      const app = await waitFor('the demo vibration app reading its PLC', async () => {
        const s = (await t.call('GET', '/api/apps/vibration')).json<any>();
        return s.state === 'running' && s.counters.samples > 0 ? s : undefined;
      });
      assert.equal(app.sources['pump-1'].state, 'connected');
      if (detector) {
        await waitFor('the demo occupancy app counting the fake camera', async () => {
          const s = (await t.call('GET', '/api/apps/occupancy')).json<any>();
          return s.state === 'running' && s.counters.framesAnalysed > 0;
        });
      } else {
        console.log(`# the demo occupancy app is not checked: it needs ${DEFAULT_MODEL} and ${DEMO_PHOTO} (npm run assets:fetch)`);
      }
      const published = (await t.call('GET', '/api/artifacts')).json<any>().items as any[];
      assert.deepEqual(
        published
          .filter((a) => a.sourceType === 'data-app')
          .map((a) => a.sourceLocation)
          .sort(),
        [...(detector ? ['occupancy/changes', 'occupancy/occupancy', 'occupancy/series'] : []), 'vibration/condition', 'vibration/events'],
      );
    } finally {
      await t.close();
    }
  });
});
