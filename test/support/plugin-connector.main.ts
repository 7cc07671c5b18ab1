/**
 * A connector process with the tests' faulty data apps compiled in (as an operator's own plug-ins would be):
 * settings from the environment as in main.ts. Prints "listening <port>" when up.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/app.settings.js';
import { readEnvironment } from '../../src/config/environment.reader.js';
import { FlakyStartApp, PulseApp, ThrowingApp } from './test-data-apps.js';

const config = loadConfig(readEnvironment());
const { app } = await buildApp(config, { logger: ['error', 'warn'], dataApps: [ThrowingApp, FlakyStartApp, PulseApp] });
app.enableShutdownHooks();
await app.listen(config.server.port, config.server.host);
console.log(`listening ${(app.getHttpServer().address() as AddressInfo).port}`);
