import { rootCertificates } from 'node:tls';
import { httpClient, type HttpClientOptions, type HttpFetch } from '../common/http/http.client.js';

/**
 * The client of outbound calls that trusts the system CAs plus the given ones (own chain, FEP_TRUSTSTORE): DAPS
 * and other HTTPS services behind an operator CA are reached without NODE_EXTRA_CA_CERTS.
 */
export function trustingFetch(cas: string[], timeouts: Omit<HttpClientOptions, 'ca'> = {}): HttpFetch {
  // `ca` replaces the default roots, so the system roots are listed too (a public DAPS keeps working).
  return httpClient({ ...timeouts, ca: [...rootCertificates, ...cas] });
}
