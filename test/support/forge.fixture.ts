import { forgeRunner } from '../../src/identity/forge.runner.js';
import { runInWorker } from '../../src/runtime/worker.pool.js';

/** node-forge's tasks as the connector runs them: each in a worker thread of its own (app.factory.ts). */
export const workerForge = forgeRunner(runInWorker);
