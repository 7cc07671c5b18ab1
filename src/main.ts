import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { assertPortFree, buildApp } from './app.factory.js';
import { ConnectorError } from './common/connector.error.js';
import { loadConfig } from './app.settings.js';
import { BootError } from './config/boot.error.js';
import { readEnvironment } from './config/environment.reader.js';

async function main(): Promise<void> {
  const config = loadConfig(readEnvironment());
  await assertPortFree(config.server.host, config.server.port);
  const { app } = await buildApp(config);
  // SIGTERM/SIGINT run the shutdown hooks: the broker is told we are gone, the outbox worker stops cleanly.
  app.enableShutdownHooks();
  await app.listen(config.server.port, config.server.host);
  const logger = new Logger('Boot');
  const base = config.server.publicUrl;
  logger.log(
    `connector ${config.connector.id} listening on ${config.server.host}:${config.server.port} (${config.server.tls ? 'HTTPS' : 'plain HTTP'})`,
  );
  logger.log(`self-description: ${base}/   Swagger UI: ${base}/api/docs   IDS endpoint: ${base}/data`);
}

main().catch((error: unknown) => {
  // One message for what the operator must fix (settings, files, the port); anything else with its stack.
  console.error(error instanceof BootError || error instanceof ConnectorError ? error.message : error);
  process.exit(1);
});
