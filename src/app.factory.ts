import { Logger, ValidationPipe, type INestApplication, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { AppModule } from './app.module.js';
import { ensureAdminPassword } from './auth/admin-password.js';
import type { Clock } from './common/clock.js';
import type { ConnectorConfig } from './config/connector.config.js';
import type { ConnectorIdentity } from './daps/connector-identity.js';
import { loadIdentity } from './daps/identity.loader.js';
import { loadTruststore } from './daps/truststore.loader.js';

export interface AppOptions {
  clock?: Clock;
  logger?: LoggerService | LogLevel[] | false;
}

export interface BuiltApp {
  app: INestApplication;
  config: ConnectorConfig;
  identity: ConnectorIdentity;
}

const JSON_TYPES = ['application/json', 'application/ld+json', 'application/*+json'];

/**
 * Builds the whole connector from a validated configuration: identity, admin secret, Nest app with its
 * body limits, validation, Swagger UI. Used by main.ts and by the e2e tests (which then listen on port 0).
 */
export async function buildApp(input: ConnectorConfig, options: AppOptions = {}): Promise<BuiltApp> {
  const boot = new Logger('Boot');
  const identity = loadIdentity(input, boot);
  let config = input;
  if (config.admin.password === undefined) {
    const secret = ensureAdminPassword(config.storage.dataDir);
    if (secret.created) boot.warn(`FEP_ADMIN_PASSWORD is not set: generated one for user "${config.admin.user}": ${secret.password} (kept in ${secret.file})`);
    else boot.log(`admin password read from ${secret.file}`);
    config = { ...config, admin: { ...config.admin, password: secret.password } };
  }
  if (config.dataApp.password === undefined) config = { ...config, dataApp: { ...config.dataApp, password: config.admin.password } };
  // Own chain + truststore: trusted for outbound TLS, for client certificates (mTLS) and by the dev DAPS.
  const trustedCas = [...identity.chainPems, ...(config.ids.truststore ? loadTruststore(config.ids.truststore, config.ids.truststorePassword) : [])];
  const https = {
    key: identity.keyPem,
    cert: [identity.certPem, ...identity.chainPems].join('\n'),
    ...(config.tlsClientAuth === 'none' ? {} : { requestCert: true, rejectUnauthorized: config.tlsClientAuth === 'require', ca: trustedCas }),
  };
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, identity, trustedCas, options.clock), {
    bodyParser: false,
    logger: options.logger ?? ['log', 'warn', 'error'],
    ...(config.server.tls ? { httpsOptions: https } : {}),
  });
  // JSON bodies only; IDS messages and artifact uploads stay raw streams whatever their type.
  const isUpload = (url: string | undefined): boolean => /^(\/data(\?|$)|\/incoming-data-app\/|\/api\/artifacts\/[^/]+\/data|\/platoontec\/PlatoonDataUsage\/1\.0\/enforce\/|\/(api\/)?selfRegistration\/query)/.test(url ?? '');
  // TRUE's tools post JSON to /proxy as text/plain, and TRUE's data app reads it as JSON: so do we.
  const isProxy = (url: string | undefined): boolean => /^\/proxy(\?|$)/.test(url ?? '');
  const isJson = (type: string | undefined): boolean => JSON_TYPES.some((t) => type?.toLowerCase().startsWith(t.replace('*', '')) ?? false);
  app.use(express.json({ limit: config.server.maxJsonBytes, strict: false, type: (req) => !isUpload(req.url) && (isProxy(req.url) || isJson(req.headers['content-type'])) }));
  // The DAPS token protocol is form-encoded (dev DAPS only).
  app.use('/daps/token', express.urlencoded({ extended: false, limit: 64 * 1024 }));
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('fep-connector')
      .setDescription('Admin API of an IDS connector: catalog, contract offers, TRUE Connector compatible management paths.')
      .setVersion('0.1.0')
      .addBasicAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return { app, config, identity };
}
