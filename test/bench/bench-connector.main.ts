/** A connector process with the benchmark's load app compiled in; settings from the environment as in main.ts. */
import 'reflect-metadata';
import { buildApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/app.settings.js';
import { readEnvironment } from '../../src/config/environment.reader.js';
import { BenchLoadApp } from './bench-load.app.js';

const config = loadConfig(readEnvironment());
const { app } = await buildApp(config, { logger: ['error', 'warn'], dataApps: [BenchLoadApp] });
app.enableShutdownHooks();
await app.listen(config.server.port, config.server.host);
