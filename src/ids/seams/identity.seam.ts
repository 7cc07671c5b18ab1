/**
 * Seam: the connector's identity, loaded before Nest starts (HTTPS needs it) by `identity/`. The protocol core
 * uses it to present its certificate in TLS and to trust the CAs its peers' certificates chain to.
 */
export interface ConnectorIdentity {
  keyPem: string;
  certPem: string;
  /** Issuers of the certificate (the dev CA for generated identities). */
  chainPems: string[];
  /** Where the identity came from, for the boot log. */
  source: string;
}

/** Injection token of the loaded ConnectorIdentity (key + certificate). */
export const CONNECTOR_IDENTITY = Symbol('CONNECTOR_IDENTITY');

/** Injection token of the CA certificates (PEM) trusted for TLS and by the dev DAPS: own chain + truststore. */
export const TRUSTED_CAS = Symbol('TRUSTED_CAS');
