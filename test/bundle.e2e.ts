import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { NODE_FLAGS } from '../src/common/node.flags.js';
import { PROJECT_ROOT } from '../src/common/project-root.js';
import { startConnectorProcess, type ConnectorProcess } from './support/connector.process.js';
import { freePort } from './support/free-port.js';
import { send } from './support/http.client.js';

const SRC = join(PROJECT_ROOT, 'dist-test', 'src');
const PRELOAD = join(PROJECT_ROOT, 'test', 'support', 'module-log.preload.mjs');

describe('the bundled build (src/bundle.build.mjs, run by npm run build and build:test)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-bundle-'));
  let connector: ConnectorProcess | undefined;
  after(async () => {
    await connector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is what main.js starts; neither start loads node-forge on the main thread nor builds an Intl formatter; terminus documents /health with the bundled Swagger', async () => {
    assert.ok(existsSync(join(SRC, 'connector.bundle.js')), 'build:test writes dist-test/src/connector.bundle.js');
    const port = await freePort();
    const env = {
      FEP_TLS: 'false',
      FEP_PUBLIC_URL: `http://127.0.0.1:${port}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      FEP_DATA_DIR: join(dir, 'data'),
      FEP_CERTS_DIR: join(dir, 'certs'),
      FEP_ADMIN_PASSWORD: 'x',
      FEP_DAPS_MODE: 'dev',
    };
    const loaded = (run: string): string[] =>
      readFileSync(join(dir, run), 'utf8')
        .split('\n')
        .filter((url) => url.length > 0);
    const start = async (run: string): Promise<ConnectorProcess> =>
      startConnectorProcess({ ...env, FEP_MODULE_LOG: join(dir, run) }, env.FEP_CERTS_DIR, '', undefined, [
        ...NODE_FLAGS,
        '--import',
        PRELOAD,
      ]);

    // The first start generates the development identity (node-forge, in a worker thread that ends with it: the
    // main thread never loads it); the restart reads its PEM files.
    connector = await start('first.log');
    assert.ok(existsSync(join(env.FEP_CERTS_DIR, 'dev-ca.crt.pem')), 'the dev identity was generated');
    assert.ok(!loaded('first.log').some((url) => url.includes('/node_modules/node-forge/')), 'node-forge not on the main thread');
    await connector.stop();
    connector = await start('restart.log');
    const files = loaded('restart.log');
    const own = files.filter((url) => url.startsWith(`file://${SRC}/`)).map((url) => url.slice(`file://${SRC}/`.length));
    // main.js, the bundle and the chunks it imports at boot; none of the modules it was made from.
    assert.equal(own[0], 'main.js');
    assert.equal(own[1], 'connector.bundle.js');
    assert.deepEqual(
      own.filter((file) => !/^connector\.bundle(-[A-Z0-9]+)?\.js$/.test(file)),
      ['main.js'],
      'no module of dist-test/src loaded beside the bundle',
    );
    for (const lazy of ['node-forge', 'onnx-proto', '@nestjs/swagger', 'es-toolkit']) {
      assert.ok(!files.some((url) => url.includes(`/node_modules/${lazy}/`)), `${lazy} not loaded from node_modules`);
    }
    // Nest's loggers build their date formatters on first use in the bundle: a connector writing JSON lines (its
    // output is a pipe here) builds no Intl formatter, and Node's ICU data stays out of its memory.
    assert.deepEqual(
      files.filter((line) => line.startsWith('intl:')),
      [],
      'no Intl formatter built',
    );

    // @nestjs/terminus documents the health responses through a require('@nestjs/swagger') that the build points at the
    // bundled copy: with a copy of its own from node_modules, or none, the 503 would be missing here.
    const auth = { authorization: `Basic ${Buffer.from('admin:x').toString('base64')}` };
    const doc = (await send('GET', `${connector.baseUrl}/api/docs-json`, { headers: auth })).json<{
      paths: Record<string, { get?: { responses?: Record<string, unknown> } }>;
    }>();
    assert.ok(doc.paths['/health/ready']?.get?.responses?.['503'], '/health/ready documents its 503');
    assert.equal((await send('GET', `${connector.baseUrl}/health`)).status, 200);
  });
});
