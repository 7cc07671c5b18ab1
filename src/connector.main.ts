/** The connector process: settings, the app, its ports, and a logged start and stop (main.ts loads it). */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { assertPortFree, buildApp, listenAdmin } from './app.factory.js';
import { ConnectorError } from './common/connector.error.js';
import { loadConfig } from './app.settings.js';
import { BootError } from './config/boot.error.js';
import { readEnvironment } from './config/environment.reader.js';

async function main(): Promise<void> {
  const config = loadConfig(readEnvironment());
  const { host, port, adminPort, adminHost } = config.server;
  await assertPortFree(host, port);
  if (adminPort !== undefined) await assertPortFree(adminHost, adminPort);
  const built = await buildApp(config);
  const { app } = built;
  const logger = new Logger('Boot');
  await app.listen(port, host);
  const base = config.server.publicUrl;
  const scheme = config.server.tls ? 'https' : 'http';
  const admin =
    adminPort === undefined
      ? base
      : `${scheme}://${adminHost === '0.0.0.0' ? 'localhost' : adminHost}:${await listenAdmin(built, adminPort, adminHost)}`;
  logger.log({
    msg: `connector ${config.connector.id} started: IDS ${host}:${port}${adminPort === undefined ? '' : `, admin ${adminHost}:${adminPort}`} (${config.server.tls ? 'HTTPS' : 'plain HTTP'})`,
    event: 'started',
    connector: config.connector.id,
  });
  logger.log(`self-description: ${base}/   IDS endpoint: ${base}/data   Swagger UI: ${admin}/api/docs   live page: ${admin}/live`);
  // SIGTERM/SIGINT: the shutdown hooks run (the broker is told we are gone, workers stop cleanly), logged once each way.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log({ msg: `stopping (${signal})`, event: 'stopping', signal });
      app.close().then(
        () => {
          logger.log({ msg: 'stopped', event: 'stopped' });
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(`shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  // One message for what the operator must fix (settings, files, the port); anything else with its stack.
  console.error(error instanceof BootError || error instanceof ConnectorError ? error.message : error);
  process.exit(1);
});
