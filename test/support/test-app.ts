import type { INestApplication, Type } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertPortFree, buildApp } from '../../src/app.factory.js';
import type { Clock } from '../../src/common/clock.js';
import { loadConfig, type ConnectorConfig } from '../../src/app.settings.js';
import type { ConnectorIdentity } from '../../src/identity/connector-identity.js';
import { send, type HttpResponse, type RequestOptions } from './http.client.js';

export interface TestApp {
  app: INestApplication;
  config: ConnectorConfig;
  identity: ConnectorIdentity;
  dir: string;
  database: { url: string; drop: () => Promise<void> } | undefined;
  baseUrl: string;
  /** HTTP Basic header of the admin user. */
  auth: Record<string, string>;
  call(method: string, path: string, options?: RequestOptions & { json?: unknown; admin?: boolean }): Promise<HttpResponse>;
  /** Stops the app and removes its files and database. */
  close(): Promise<void>;
  /** Stops the app but keeps its files and database, for a restart. */
  stop(): Promise<void>;
}

export const ADMIN = { user: 'admin', password: 'test-password-1' };

/**
 * With FEP_TEST_DATABASE_URL (a PostgreSQL server URL), each test app gets a database of its own, as it gets
 * a SQLite file of its own otherwise, so suites never see each other's rows.
 */
async function freshPostgresDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const { default: pg } = await import('pg');
  const name = `fep_test_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface StartOptions {
  /** Reuse the data dir and database of an earlier (closed) app: a restart. */
  restartOf?: TestApp;
  /** A fixed port (TRUE's CI collections name theirs); an OS-chosen one otherwise. */
  port?: number;
  /** Time for the app (policies, schedules); the system clock otherwise. */
  clock?: Clock;
  /** Extra data apps (`@DataAppPlugin` classes). */
  dataApps?: Type[];
}

/**
 * Boots the real connector on 127.0.0.1 with a fresh data dir and SQLite file (or the PostgreSQL database in
 * FEP_TEST_DATABASE_URL), on an OS-chosen port. Extra environment settings override the defaults.
 */
export async function startTestApp(env: Record<string, string> = {}, options: StartOptions = {}): Promise<TestApp> {
  const previous = options.restartOf;
  const dir = previous?.dir ?? mkdtempSync(join(tmpdir(), 'fep-test-'));
  const server = process.env['FEP_TEST_DATABASE_URL'];
  const database = previous?.database ?? (server ? await freshPostgresDatabase(server) : undefined);
  const dbUrl = database?.url;
  const raw = {
    PORT: '0',
    HOST: '127.0.0.1',
    FEP_TLS: 'false',
    FEP_DATA_DIR: join(dir, 'data'),
    FEP_CERTS_DIR: join(dir, 'certs'),
    FEP_ADMIN_USER: ADMIN.user,
    FEP_ADMIN_PASSWORD: ADMIN.password,
    FEP_PUBLIC_URL: 'http://127.0.0.1:1',
    // Most suites play TRUE peers with its dummy token; the trust suites set omejdn or dev.
    FEP_DAPS_MODE: 'disabled',
    ...(dbUrl ? { FEP_DATABASE_URL: dbUrl } : {}),
    ...env,
  };
  const built = await buildApp(loadConfig(raw, dir), {
    logger: ['error'],
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.dataApps ? { dataApps: options.dataApps } : {}),
  });
  if (options.port !== undefined) {
    // A third-party collection (TRUE's CI) names this port: say so when it is taken, not "EADDRINUSE" somewhere.
    await assertPortFree('127.0.0.1', options.port).catch(async (error: unknown) => {
      await built.app.close();
      throw new Error(`port ${options.port} is pinned by a third-party test collection and is taken on this machine: ${String(error)}`);
    });
  }
  await built.app.listen(options.port ?? 0, '127.0.0.1');
  const port = (built.app.getHttpServer().address() as AddressInfo).port;
  const baseUrl = `${built.config.server.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const auth = {
    authorization: 'Basic ' + Buffer.from(`${built.config.admin.user}:${built.config.admin.password ?? ''}`).toString('base64'),
  };
  const ca = built.identity.chainPems.join('\n');
  // The admin client presents the app's own certificate: with FEP_TLS_CLIENT_AUTH=require every route needs one.
  const clientCert = { key: built.identity.keyPem, cert: built.identity.certPem };
  return {
    ...built,
    dir,
    database,
    baseUrl,
    auth,
    call: (method, path, options = {}) => {
      const { json, admin = true, ...rest } = options;
      const headers = { ...(admin ? auth : {}), ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...rest.headers };
      return send(method, baseUrl + path, {
        ...clientCert,
        ...rest,
        headers,
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        ca,
      });
    },
    stop: () => built.app.close(),
    close: async () => {
      await built.app.close();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
