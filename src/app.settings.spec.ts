import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from './common/project-root.js';
import { loadConfig, SETTINGS } from './app.settings.js';
import { ConfigValidationError } from './config/config.loader.js';

/** A DAPS mode must be chosen (hardening finding 7); the other rules are checked with one set. */
const load = (env: Record<string, string>, cwd?: string): ReturnType<typeof loadConfig> =>
  loadConfig({ FEP_DAPS_MODE: 'dev', ...env }, cwd);

describe('loadConfig', () => {
  it('uses the documented defaults on an empty environment', () => {
    const config = load({}, '/srv/fep');
    assert.equal(config.server.port, 8443);
    assert.equal(config.server.tls, true);
    assert.equal(config.server.publicUrl, 'https://localhost:8443');
    assert.equal(config.connector.id, 'https://localhost:8443/');
    assert.equal(config.storage.dataDir, '/srv/fep/data');
    assert.equal(config.storage.databaseUrl, undefined);
    assert.equal(config.admin.password, undefined);
    assert.equal(config.catalog.demo, false);
  });

  it('derives the public URL from PORT and FEP_TLS', () => {
    assert.equal(load({ PORT: '9000', FEP_TLS: 'false' }).server.publicUrl, 'http://localhost:9000');
  });

  it('reads every setting', () => {
    const config = load({
      PORT: '1234',
      HOST: '127.0.0.1',
      FEP_PUBLIC_URL: 'https://edge.example.org/',
      FEP_CONNECTOR_ID: 'urn:connector:pump-node',
      FEP_DATABASE_URL: 'postgres://u:p@db:5432/fep',
      FEP_ADMIN_PASSWORD: 's3cret',
      FEP_DEMO: 'yes',
      FEP_SECURITY_PROFILE: 'TRUST_SECURITY_PROFILE',
    });
    assert.equal(config.server.publicUrl, 'https://edge.example.org');
    assert.equal(config.connector.id, 'urn:connector:pump-node');
    assert.equal(config.connector.curator, 'urn:connector:pump-node');
    assert.equal(config.storage.databaseUrl, 'postgres://u:p@db:5432/fep');
    assert.equal(config.admin.password, 's3cret');
    assert.equal(config.catalog.demo, true);
    assert.equal(config.connector.securityProfile, 'TRUST_SECURITY_PROFILE');
  });

  it('lists every bad setting in one error', () => {
    try {
      load({
        PORT: 'eighty',
        FEP_TLS: 'maybe',
        FEP_PUBLIC_URL: 'ftp://x',
        FEP_CONNECTOR_ID: 'not an iri',
        FEP_DATABASE_URL: 'mysql://x',
        FEP_SECURITY_PROFILE: 'HIGH',
      });
      assert.fail('should have thrown');
    } catch (error) {
      assert.ok(error instanceof ConfigValidationError);
      const names = error.problems.map((p) => p.split(' ')[0]);
      assert.deepEqual(names, ['PORT', 'FEP_TLS', 'FEP_PUBLIC_URL', 'FEP_CONNECTOR_ID', 'FEP_SECURITY_PROFILE', 'FEP_DATABASE_URL']);
      assert.match(error.message, /6 problems/);
      assert.match(error.message, /PORT must be a whole number, got "eighty"/);
    }
  });

  it('checks the cross-setting rules of the trust settings', () => {
    assert.throws(() => loadConfig({ FEP_DAPS_MODE: 'omejdn' }), /FEP_DAPS_ISSUER is required when FEP_DAPS_MODE=omejdn/);
    assert.throws(() => load({ FEP_TLS: 'false', FEP_TLS_CLIENT_AUTH: 'require' }), /FEP_TLS_CLIENT_AUTH needs FEP_TLS=true/);
    const config = loadConfig({
      FEP_DAPS_MODE: 'omejdn',
      FEP_DAPS_ISSUER: 'https://omejdn/auth, https://daps.aisec.fraunhofer.de/v3',
      FEP_SECURITY_PROFILE_MIN: 'TRUST_SECURITY_PROFILE',
    });
    assert.deepEqual(config.daps.issuers, ['https://omejdn/auth', 'https://daps.aisec.fraunhofer.de/v3']);
    assert.equal(config.daps.audience, 'idsc:IDS_CONNECTORS_ALL');
    assert.equal(load({}).daps.mode, 'dev');
  });

  it('has no default DAPS mode: the development DAPS only where asked for, a real one implied by its issuer', () => {
    // Hardening finding 7: the default was dev, so a container started without settings handed out tokens.
    assert.throws(() => loadConfig({}), /FEP_DAPS_MODE is not set: for a real DAPS set FEP_DAPS_MODE=omejdn and FEP_DAPS_ISSUER/);
    assert.equal(loadConfig({ FEP_DAPS_ISSUER: 'https://omejdn/auth' }).daps.mode, 'omejdn');
    assert.equal(loadConfig({ FEP_DAPS_MODE: 'disabled' }).daps.mode, 'disabled');
  });

  it('reads per-peer transports and host pins', () => {
    const config = load({
      FEP_PEER_TRANSPORTS: 'https://a:8889/data=mixed, https://b/data=http-header',
      FEP_RESOLVE: 'ecc-provider=127.0.0.1',
    });
    assert.deepEqual(config.ids.peerTransports, { 'https://a:8889/data': 'mixed', 'https://b/data': 'http-header' });
    assert.deepEqual(config.ids.resolve, { 'ecc-provider': '127.0.0.1' });
    assert.throws(() => load({ FEP_PEER_TRANSPORTS: 'https://a/data=idscp2' }), /must be form, mixed or http-header/);
    assert.throws(() => load({ FEP_RESOLVE: 'ecc-provider=somewhere' }), /FEP_RESOLVE/);
  });

  it('rejects a port out of range', () => {
    assert.throws(() => load({ PORT: '70000' }), /PORT must be between 0 and 65535/);
  });

  it('every setting is documented in the README configuration table', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    for (const setting of SETTINGS) assert.match(readme, new RegExp(`\\| \`${setting.env}\` \\|`), setting.env);
  });
});
