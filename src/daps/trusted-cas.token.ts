/** Injection token of the CA certificates (PEM) trusted for TLS and by the dev DAPS: own chain + truststore. */
export const TRUSTED_CAS = Symbol('TRUSTED_CAS');
