import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../src/common/project-root.js';
import { send } from './support/http.client.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;
const AUTH = { authorization: 'Basic ' + Buffer.from('admin:isolation-test').toString('base64') };

/**
 * An app's uncaught exception in a callback it did not guard (a plain setTimeout): the app fails and is restarted,
 * the connector process stays up. In a process of its own, as in production (the test runner would see the
 * exception too).
 */
describe('data-app isolation: an uncaught exception in an app’s own callback (e2e, separate process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-isolation-'));
  let child: ChildProcess;
  let base = '';
  let output = '';

  before(async () => {
    child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist-test', 'test', 'support', 'plugin-connector.main.js')], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        FEP_TLS: 'false',
        FEP_DAPS_MODE: 'disabled',
        FEP_PUBLIC_URL: 'http://127.0.0.1:1',
        FEP_DATA_DIR: join(dir, 'data'),
        FEP_CERTS_DIR: join(dir, 'certs'),
        FEP_ADMIN_PASSWORD: 'isolation-test',
        FEP_APPS_RESTART_MIN_MS: '200',
        FEP_APPS_RESTART_MAX_MS: '400',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const port = await waitFor('the connector listening', () => /listening (\d+)/.exec(output)?.[1], 30_000);
    base = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, json?: unknown): Promise<Json> => {
    const r = await send(method, base + path, {
      headers: { ...AUTH, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
    return r.json<Json>();
  };

  it('fails the app with the exception, restarts it, and keeps the connector serving', async () => {
    await call('PUT', '/api/apps/throwing/config', { afterPasses: 2, where: 'raw' });
    await call('POST', '/api/apps/throwing/start');
    const restarted = await waitFor('two restarts after uncaught exceptions', async () => {
      const s = await call('GET', '/api/apps/throwing');
      return s.restarts >= 2 ? s : undefined;
    });
    assert.match(restarted.lastError ?? (await call('GET', '/api/apps/throwing')).lastError ?? output, /raw boom after 2 passes/);
    assert.equal(child.exitCode, null, 'the process is alive');
    assert.equal((await send('GET', `${base}/`)).status, 200, 'the self-description is served');
    assert.equal((await call('POST', '/api/apps/throwing/stop')).state, 'stopped');
    assert.match(output, /data app throwing: uncaught Error: raw boom/);
  });
});
