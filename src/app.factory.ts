import { Logger, type INestApplication, type LoggerService, type LogLevel, type Type } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { ServerOptions as HttpsOptions } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { AppModule } from './app.module.js';
import { ensureAdminPassword } from './auth/admin-password.js';
import { BasicCredentials } from './auth/basic-credentials.js';
import type { Clock } from './common/clock.js';
import { JsonBodyInterceptor } from './common/http/json-body.interceptor.js';
import { StrictValidationPipe } from './common/http/strict-validation.pipe.js';
import { createTunedServer, TunedExpressAdapter, type FrontRoutes } from './common/http/tuned-express.adapter.js';
import { AdminListener } from './common/http/admin-listener.js';
import { finishApiDocument } from './common/http/api.document.js';
import { withCorrelation } from './common/logging/correlation.js';
import { ConnectorLogger } from './common/logging/json.logger.js';
import type { ConnectorConfig } from './app.settings.js';
import { BootError } from './config/boot.error.js';
import { dapsClientId, type ConnectorIdentity } from './identity/connector-identity.js';
import { forgeRunner } from './identity/forge.runner.js';
import { loadIdentity } from './identity/identity.loader.js';
import { DataController } from './ids/inbound/data.controller.js';
import { runInWorker } from './runtime/worker.pool.js';

export interface AppOptions {
  clock?: Clock;
  /** Data apps beyond the built-in ones (`@DataAppPlugin` classes). */
  dataApps?: Type[];
  logger?: LoggerService | LogLevel[] | false;
}

export interface BuiltApp {
  app: INestApplication;
  config: ConnectorConfig;
  identity: ConnectorIdentity;
  /** Where the admin port is listened on once `listenAdmin` ran (FEP_ADMIN_PORT). */
  adminListener: AdminListener;
  /** TLS of the admin port: the connector's certificate, no client certificates (a browser has none). */
  adminHttps?: HttpsOptions;
  /** The routes served ahead of Express, on the admin port too. */
  front: FrontRoutes;
}

/**
 * Builds the whole connector from a validated configuration: identity, admin secret, Nest app with its
 * body limits, validation, Swagger UI. Used by connector.main.ts and by the e2e tests (which then listen on port 0).
 */
export async function buildApp(input: ConnectorConfig, options: AppOptions = {}): Promise<BuiltApp> {
  // The log's shape first, so that the boot's own lines (a generated password, a certificate problem) have it too.
  const logger = options.logger ?? new ConnectorLogger(input.logging);
  if (typeof logger === 'object' && !Array.isArray(logger)) Logger.overrideLogger(logger);
  const boot = new Logger('Boot');
  // node-forge's tasks (keystores, the dev identity) run in worker threads that end with them (forge.tasks.ts).
  const forge = forgeRunner(runInWorker);
  const identity = await loadIdentity(input, boot, forge);
  // A DAPS knows the connector by SKI:keyid:AKI of its certificate: without those extensions no token can be had.
  if (input.daps.mode !== 'disabled' && input.daps.clientId === undefined) {
    try {
      dapsClientId(identity.certPem);
    } catch (error) {
      throw new BootError(
        `the connector certificate from ${identity.source} cannot be used with a DAPS: ${error instanceof Error ? error.message : String(error)}. Issue it with both extensions, or set FEP_DAPS_CLIENT_ID.`,
      );
    }
  }
  let config = input;
  if (config.admin.password === undefined) {
    const secret = ensureAdminPassword(config.storage.dataDir);
    if (secret.created) {
      boot.warn(
        `FEP_ADMIN_PASSWORD is not set: generated one for user "${config.admin.user}": ${secret.password} (kept in ${secret.file})`,
      );
    } else {
      boot.log(`admin password read from ${secret.file}`);
    }
    config = { ...config, admin: { ...config.admin, password: secret.password } };
  }
  // TRUE's gateway user has the admin password unless it has its own (TRUE: idsUser).
  if (config.trueCompat.gatewayPassword === undefined) {
    config = { ...config, trueCompat: { ...config.trueCompat, gatewayPassword: config.admin.password } };
  }
  // Own chain + truststore: trusted for outbound TLS, for client certificates (mTLS) and by the dev DAPS.
  const { truststore, truststorePassword } = config.identity;
  const trustedCas = [
    ...identity.chainPems,
    // node-forge (PKCS#12) runs, in a worker thread, only when there is a PKCS#12 truststore to read.
    ...(truststore ? await (await import('./identity/truststore.loader.js')).loadTruststore(truststore, truststorePassword, forge) : []),
  ];
  const https = {
    key: identity.keyPem,
    cert: [identity.certPem, ...identity.chainPems].join('\n'),
    ...(config.server.tlsClientAuth === 'none'
      ? {}
      : { requestCert: true, rejectUnauthorized: config.server.tlsClientAuth === 'require', ca: trustedCas }),
  };
  const adminListener = new AdminListener();
  const adapter = new TunedExpressAdapter(config.server);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, identity, trustedCas, adminListener, options.clock, options.dataApps),
    adapter,
    {
      bodyParser: false,
      // A module that cannot start (the database file held by another process) rejects here, for the caller to say
      // so, instead of Nest ending the process itself.
      abortOnError: false,
      logger,
      ...(config.server.tls ? { httpsOptions: https } : {}),
    },
  );
  // Every log line of a request carries its id (the client's X-Request-Id, else a new one; the IDS pipeline
  // switches to the message @id once it has read it).
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => correlate(req, res, next));
  // The IDS endpoint ahead of Express and Nest (their routing, guards and interceptors): partners call it at the
  // rate of the data, and it needs none of them (public: every message carries its DAT; the body is read raw;
  // every failure is an ids:RejectionMessage). `POST /data` is a front route; the same handler is Express's route
  // for the spellings Express also matches (`/data/`, `/DATA`). The controller stays the route's definition and
  // its API document; Nest's own route for it is shadowed.
  const ids = app.get(DataController);
  adapter.front.add('POST', '/data', (req, res) => correlate(req, res, () => void ids.serve(req, res)));
  const server: express.Express = app.getHttpAdapter().getInstance();
  server.post('/data', (req, res) => void ids.serve(req, res));
  // Swagger UI and the API document are Express middleware, outside the guards. Every spelling Express would route
  // to them (`/api/docs-json`, `/API/Docs-YAML/`, `//api/docs`) is checked here: with an admin port they are only
  // there, and everywhere they need the admin credentials, since the document lists the whole admin surface.
  const docsAdmin = new BasicCredentials(
    config.admin.user,
    config.admin.password ?? '',
    'fep-connector admin',
    'FEP_ADMIN_USER / FEP_ADMIN_PASSWORD',
  );
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!API_DOCS_PATH.test(req.path)) {
      next();
      return;
    }
    const refuse = (status: number, detail: string): void => {
      const title = status === 404 ? 'Not Found' : 'Unauthorized';
      if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="fep-connector admin"');
      res
        .status(status)
        .type('application/problem+json')
        .send(JSON.stringify({ type: 'about:blank', title, status, detail, statusCode: status, message: detail }));
    };
    if (!adminListener.isAdmin(req.socket)) {
      refuse(404, 'the admin API and Swagger UI are on FEP_ADMIN_PORT');
    } else if (!docsAdmin.matches(req)) {
      refuse(401, 'fep-connector admin credentials required (HTTP Basic, FEP_ADMIN_USER / FEP_ADMIN_PASSWORD)');
    } else {
      next();
    }
  });
  // JSON bodies are read per route, after authentication, bounded in size and depth; @RawBody() routes stream.
  app.useGlobalInterceptors(new JsonBodyInterceptor(app.get(Reflector), config.server.maxJsonBytes));
  // The DAPS token protocol is form-encoded (dev DAPS only).
  app.use('/daps/token', express.urlencoded({ extended: false, limit: 64 * 1024 }));
  app.useGlobalPipes(new StrictValidationPipe());
  // The API document is built when it is first asked for, not at every start (building it is a visible share of a
  // boot profile, and most starts never serve it).
  const apiConfig = new DocumentBuilder()
    .setTitle('fep-connector')
    .setDescription(
      'Admin API of an IDS connector on an edge node: catalog and offers, usage control, the consumer side, data apps, results delivery, data-space services, audit and operations; the IDS endpoint; TRUE Connector compatible paths. Errors are application/problem+json.',
    )
    .setVersion('0.1.0')
    .addBasicAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => finishApiDocument(SwaggerModule.createDocument(app, apiConfig)), {
    jsonDocumentUrl: 'api/docs-json',
  });
  return {
    app,
    config,
    identity,
    adminListener,
    front: adapter.front,
    ...(config.server.tls ? { adminHttps: { key: https.key, cert: https.cert } } : {}),
  };
}

/** Every path Express routes to Swagger UI or the API document (its matching ignores case and repeated or trailing slashes). */
const API_DOCS_PATH = /^\/+api\/+docs/i;

/** The rest of a request under its correlation id: the client's X-Request-Id, else a new one, echoed back. */
function correlate(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const given = req.headers['x-request-id'];
  withCorrelation(typeof given === 'string' ? given : undefined, (id) => {
    res.setHeader('x-request-id', id);
    next();
  });
}

/**
 * Opens the admin port (FEP_ADMIN_PORT) on the same app: a second server with the same limits, closed with the
 * main one. Resolves with the port it listens on.
 */
export async function listenAdmin(built: BuiltApp, port: number, host: string): Promise<number> {
  const handler = built.front.listener(built.app.getHttpAdapter().getInstance() as RequestListener);
  const server: Server = createTunedServer(built.config.server, handler, built.adminHttps);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  built.adminListener.listening(bound);
  (built.app.getHttpServer() as Server).once('close', () => {
    server.close();
    server.closeAllConnections();
  });
  return bound;
}

/**
 * Fails the boot with one message when the port is taken, before anything is started or logged as started
 * (Nest logs "successfully started" before it binds the port).
 */
export function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? 'is already in use (another connector?)'
          : error.code === 'EACCES'
            ? 'needs privileges this process lacks'
            : `cannot be bound (${error.message})`;
      reject(new BootError(`port ${port} on ${host} ${why}: set PORT (and HOST) to a free one`));
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
