import { ConnectorError, type ErrorCode } from '../common/connector.error.js';
import type { ForgeReply, ForgeRequest, ForgeTask, ForgeTasks } from './forge.tasks.js';

/** Runs one node-forge task (forge.tasks.ts) and resolves with its result. */
export type ForgeRunner = <T extends ForgeTask>(task: T, args: ForgeTasks[T]['args']) => Promise<ForgeTasks[T]['result']>;

/** The worker module that runs the tasks; `import.meta.url` is this file's own path in the bundle too. */
export const FORGE_WORKER = new URL('./forge.worker.js', import.meta.url);

/**
 * The runner over `inWorker`, which runs a request in a worker thread started for it (the composition root gives
 * runtime/worker.pool.ts's `runInWorker`: identity/ does not start threads itself). A ConnectorError the task threw
 * comes back as one, with its code and field.
 */
export function forgeRunner(inWorker: (worker: URL, request: ForgeRequest) => Promise<ForgeReply>): ForgeRunner {
  return async <T extends ForgeTask>(task: T, args: ForgeTasks[T]['args']): Promise<ForgeTasks[T]['result']> => {
    const reply = (await inWorker(FORGE_WORKER, { task, args })) as ForgeReply<T>;
    if (reply.ok) return reply.result;
    const { name, message, code, field } = reply.error;
    throw name === 'ConnectorError' && code !== undefined ? new ConnectorError(code as ErrorCode, message, field) : new Error(message);
  };
}
