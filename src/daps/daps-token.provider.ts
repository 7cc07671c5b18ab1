import { Logger } from '@nestjs/common';
import { decodeJwt } from 'jose';
import type { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import { CLIENT_ASSERTION_TYPE, createClientAssertion, DAT_SCOPE } from './client-assertion.js';
import { TokenProvider } from '../ids/seams/token.seam.js';
import { httpClient, type HttpFetch, type HttpResponse } from '../common/http/http.client.js';

export interface DapsEndpoints {
  tokenUrl?: string;
  /** For RFC 8414 discovery when tokenUrl is unset. */
  issuer?: string;
}

export interface DapsCredentials {
  clientId: string;
  audience: string;
  keyPem: string;
  chainPems: string[];
  referringConnector?: string;
}

/** Where tokens come from: a DAPS over HTTP, or (dev mode) the in-process development DAPS. */
export type TokenSource = (form: URLSearchParams) => Promise<{ ok: boolean; status: number; text: string }>;

/** `https://omejdn/auth` -> `https://omejdn/.well-known/oauth-authorization-server/auth` (RFC 8414 section 3). */
export function metadataUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}/.well-known/oauth-authorization-server${path}`;
}

/**
 * Obtains DATs from a DAPS with the OAuth 2.0 client-credentials grant and a signed client assertion, caches the
 * token until shortly before it expires, and lets concurrent callers share one refresh. A DAPS that is down or
 * says no makes the caller fail with that reason; a placeholder is never returned.
 */
export class DapsTokenProvider extends TokenProvider {
  private cached?: { token: string; refreshAt: number };
  private pending?: Promise<string>;
  private readonly logger = new Logger('DAPS');

  constructor(
    private readonly endpoints: DapsEndpoints,
    private readonly credentials: DapsCredentials,
    private readonly clock: Clock,
    private readonly fetchFn: HttpFetch = httpClient(),
    private readonly local?: TokenSource,
  ) {
    super();
  }

  token(): Promise<string> {
    if (this.cached && this.clock.now().getTime() < this.cached.refreshAt) return Promise.resolve(this.cached.token);
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async tokenUrl(): Promise<string> {
    if (this.endpoints.tokenUrl) return this.endpoints.tokenUrl;
    if (!this.endpoints.issuer) {
      throw new ConnectorError('TEMPORARILY_NOT_AVAILABLE', 'no DAPS token endpoint: set FEP_DAPS_URL or FEP_DAPS_ISSUER');
    }
    const metadata = (await this.getJson(metadataUrl(this.endpoints.issuer), 'DAPS metadata')) as { token_endpoint?: unknown };
    if (typeof metadata.token_endpoint !== 'string') {
      throw new ConnectorError('TEMPORARILY_NOT_AVAILABLE', `DAPS metadata of ${this.endpoints.issuer} has no token_endpoint`);
    }
    this.endpoints.tokenUrl = metadata.token_endpoint;
    return metadata.token_endpoint;
  }

  private async getJson(url: string, what: string): Promise<unknown> {
    let response: HttpResponse;
    try {
      response = await this.fetchFn(url, { signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new ConnectorError(
        'TEMPORARILY_NOT_AVAILABLE',
        `${what} at ${url} is unreachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (!response.ok) throw new ConnectorError('TEMPORARILY_NOT_AVAILABLE', `${what} at ${url} answered HTTP ${response.status}`);
    return response.json();
  }

  private async post(url: string, body: URLSearchParams): Promise<{ ok: boolean; status: number; text: string }> {
    if (this.local) return this.local(body);
    try {
      const response = await this.fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      return { ok: response.ok, status: response.status, text: await response.text() };
    } catch (error) {
      throw new ConnectorError(
        'TEMPORARILY_NOT_AVAILABLE',
        `the DAPS at ${url} is unreachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /**
   * A DAPS that answers 4xx knows the request and says no (RFC 6749 section 5.2: invalid_client, invalid_grant,
   * ...): that is this connector's configuration, not an outage, and retrying will not help. The error says which
   * client id, audience and DAPS were used, and what to register there. 5xx is an outage.
   */
  private refusal(url: string, status: number, text: string): ConnectorError {
    let reason = text.slice(0, 300);
    try {
      const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
      if (typeof body.error === 'string') {
        reason = `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}`;
      }
    } catch {
      // not JSON: the text as it came
    }
    const { clientId, audience } = this.credentials;
    if (status >= 500) return new ConnectorError('TEMPORARILY_NOT_AVAILABLE', `the DAPS at ${url} is failing (HTTP ${status}): ${reason}`);
    return new ConnectorError(
      'MISCONFIGURED',
      `the DAPS at ${url} refused a token for client id ${clientId} (audience ${audience}): HTTP ${status} ${reason}. ` +
        `Register this connector at that DAPS with client id ${clientId} and its certificate (the SKI:keyid:AKI of the certificate; FEP_DAPS_CLIENT_ID overrides it), or check FEP_DAPS_ISSUER / FEP_DAPS_AUDIENCE.`,
    );
  }

  private async fetchToken(): Promise<string> {
    const url = this.local ? 'the development DAPS' : await this.tokenUrl();
    const assertion = await createClientAssertion({ ...this.credentials, now: this.clock.now() });
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
      scope: DAT_SCOPE,
    });
    const response = await this.post(url, body);
    const text = response.text;
    if (!response.ok) throw this.refusal(url, response.status, text);
    let token: unknown;
    try {
      token = (JSON.parse(text) as { access_token?: unknown }).access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string') {
      throw new ConnectorError('TEMPORARILY_NOT_AVAILABLE', `the DAPS at ${url} answered without an access_token`);
    }
    const exp = decodeJwt(token).exp;
    const now = this.clock.now().getTime();
    // Refresh 30 s before expiry; a token living a minute or less is refreshed at half its life.
    const lifetime = typeof exp === 'number' ? exp * 1000 - now : 60_000;
    this.cached = { token, refreshAt: now + Math.max(0, lifetime > 60_000 ? lifetime - 30_000 : lifetime / 2) };
    this.logger.debug(`new DAT from ${url}, valid ${Math.round(lifetime / 1000)} s`);
    return token;
  }
}
