import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * `fetch` that trusts the system CAs plus the given ones (own chain, FEP_TRUSTSTORE): DAPS and other HTTPS
 * services behind an operator CA are reached without NODE_EXTRA_CA_CERTS.
 */
export interface FetchTimeouts {
  /** To connect and receive the response headers. */
  connectTimeoutMs?: number;
  /** Longest pause between two pieces of the body: a long transfer that keeps flowing is never cut off. */
  idleTimeoutMs?: number;
}

export function trustingFetch(cas: string[], timeouts: FetchTimeouts = {}): typeof fetch {
  // `ca` replaces the default roots, so the system roots are listed too (a public DAPS keeps working).
  const dispatcher = new Agent({
    connect: {
      ca: [...rootCertificates, ...cas],
      ...(timeouts.connectTimeoutMs === undefined ? {} : { timeout: timeouts.connectTimeoutMs }),
    },
    ...(timeouts.connectTimeoutMs === undefined ? {} : { headersTimeout: timeouts.connectTimeoutMs }),
    ...(timeouts.idleTimeoutMs === undefined ? {} : { bodyTimeout: timeouts.idleTimeoutMs }),
  });
  const trusting = (input: string | URL, init?: Parameters<typeof undiciFetch>[1]): ReturnType<typeof undiciFetch> =>
    undiciFetch(input, { ...init, dispatcher });
  return trusting as unknown as typeof fetch;
}
