/**
 * The connector for `npm run profile:exchange`: as main.ts, but SIGTERM closes the app and exits normally, so that
 * `--cpu-prof` can write its profile (Nest's shutdown hooks re-raise the signal, and a process ended by a signal
 * writes none).
 */
import 'reflect-metadata';
import { buildApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/app.settings.js';
import { readEnvironment } from '../../src/config/environment.reader.js';

const config = loadConfig(readEnvironment());
const { app } = await buildApp(config, { logger: ['error', 'warn'] });
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
await app.listen(config.server.port, config.server.host);
