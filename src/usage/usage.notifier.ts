import type { HttpFetch } from '../common/http/http.client.js';

/** USAGE_NOTIFICATION's adapter: one JSON POST per use (DSC sends target, issuer and time the same way). */
export interface UsageNotification {
  target: string;
  agreement: string;
  consumer: string;
  side: string;
  time: string;
}

export abstract class UsageNotifier {
  /** Resolves when the endpoint answered 2xx; rejects with the reason otherwise. */
  abstract notify(endpoint: string, notification: UsageNotification): Promise<void>;
}

export class HttpUsageNotifier extends UsageNotifier {
  constructor(
    private readonly fetcher: HttpFetch,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  async notify(endpoint: string, notification: UsageNotification): Promise<void> {
    const response = await this.fetcher(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${endpoint} answered HTTP ${response.status}`);
  }
}
