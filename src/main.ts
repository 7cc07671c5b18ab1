import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { buildApp } from './app.factory.js';
import { ConfigValidationError, loadConfig } from './config/connector.config.js';
import { readEnvironment } from './config/environment.reader.js';

async function main(): Promise<void> {
  const config = loadConfig(readEnvironment());
  const { app } = await buildApp(config);
  // SIGTERM/SIGINT run the shutdown hooks: the broker is told we are gone, the outbox worker stops cleanly.
  app.enableShutdownHooks();
  await app.listen(config.server.port, config.server.host);
  const logger = new Logger('Boot');
  const base = config.server.publicUrl;
  logger.log(`connector ${config.connector.id} listening on ${config.server.host}:${config.server.port} (${config.server.tls ? 'HTTPS' : 'plain HTTP'})`);
  logger.log(`self-description: ${base}/   Swagger UI: ${base}/api/docs   IDS endpoint: ${base}/data`);
}

main().catch((error: unknown) => {
  // One message listing every bad setting; anything else with its stack.
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
