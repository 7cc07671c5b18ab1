import { httpClient } from '../common/http/http.client.js';

/** The outbound HTTP adapter of webhooks and the NGSI-LD publisher (a seam: tests and other transports replace it). */
export interface PostResult {
  status: number;
  text: string;
}

export abstract class HttpPoster {
  /** Resolves with the answer, whatever its status; rejects when no answer came (refused, timed out). */
  abstract post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult>;
}

/** Posts with the connector's HTTP client (common/http/http.client.ts), redirects refused. */
export class FetchHttpPoster extends HttpPoster {
  private readonly client = httpClient();

  async post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult> {
    const response = await this.client(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    const text = await response.text();
    return { status: response.status, text: text.slice(0, 2000) };
  }
}
