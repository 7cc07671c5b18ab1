import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line of one request carries: the IDS message `@id` once known, a request id before that. */
export interface Correlation {
  id: string;
}

const storage = new AsyncLocalStorage<Correlation>();

/** Runs `fn` (the rest of an HTTP request) with its own correlation: the client's `X-Request-Id` or a new one. */
export function withCorrelation<T>(requestId: string | undefined, fn: (id: string) => T): T {
  const id = requestId !== undefined && /^[\w.:/@-]{1,200}$/.test(requestId) ? requestId : randomUUID();
  return storage.run({ id }, () => fn(id));
}

/** From here on, the request's lines carry this id (the IDS pipeline sets the message's `@id` once parsed). */
export function correlateWith(id: string): void {
  const current = storage.getStore();
  if (current !== undefined) current.id = id.slice(0, 512);
}

export function correlationId(): string | undefined {
  return storage.getStore()?.id;
}
