import { rootCertificates } from 'node:tls';
import type { Agent as UndiciAgent, fetch as UndiciFetch } from 'undici';

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

/**
 * undici is loaded on the first call, not at boot: it is one of the largest modules a start loads (see a boot
 * profile: `node --cpu-prof dist/main.js`), and a node that never calls out does not need it.
 */
let undici: Promise<typeof import('undici')> | undefined;

export function trustingFetch(cas: string[], timeouts: FetchTimeouts = {}): typeof fetch {
  let ready: Promise<{ fetch: typeof UndiciFetch; dispatcher: UndiciAgent }> | undefined;
  const client = async (): Promise<{ fetch: typeof UndiciFetch; dispatcher: UndiciAgent }> => {
    const { Agent, fetch } = await (undici ??= import('undici'));
    // `ca` replaces the default roots, so the system roots are listed too (a public DAPS keeps working).
    const dispatcher = new Agent({
      connect: {
        ca: [...rootCertificates, ...cas],
        ...(timeouts.connectTimeoutMs === undefined ? {} : { timeout: timeouts.connectTimeoutMs }),
      },
      ...(timeouts.connectTimeoutMs === undefined ? {} : { headersTimeout: timeouts.connectTimeoutMs }),
      ...(timeouts.idleTimeoutMs === undefined ? {} : { bodyTimeout: timeouts.idleTimeoutMs }),
    });
    return { fetch, dispatcher };
  };
  const trusting = async (input: string | URL, init?: Parameters<typeof UndiciFetch>[1]): ReturnType<typeof UndiciFetch> => {
    const { fetch, dispatcher } = await (ready ??= client());
    return fetch(input, { ...init, dispatcher });
  };
  return trusting as unknown as typeof fetch;
}
