import type { Readable } from 'node:stream';

/**
 * Reads what is left of a request body and drops it, so that the client, still sending, reads the answer (an IDS
 * rejection, a 507) on a connection that stays open, rather than a reset; past `limit` bytes the stream is destroyed
 * instead. Resolves when it has ended or was closed. Callers bound the time it may take (`within`).
 */
export function discardRest(body: Readable, limit = 64 * 1024 * 1024): Promise<void> {
  if (body.readableEnded || body.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    body.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) body.destroy();
    });
    body.once('end', () => resolve());
    body.once('close', () => resolve());
    body.once('error', () => resolve());
    body.resume();
  });
}
