/**
 * Claims checks of a Dynamic Attribute Token, after its signature was verified (IDS-G DAPS; Omejdn 1.6's DAT,
 * lib/token_helper.rb). Both shapes in use are accepted: the current one (`scope` a string, `aud` an
 * array, `client_id`) and the legacy AISEC v2 one (`scopes` an array, `aud` a string). Stricter than TRUE, which
 * checks only signature and `exp`. Pure: the first failing check is returned with its name.
 */
import { SECURITY_PROFILES, type SecurityProfile } from '../ids/infomodel/vocabulary.js';

export interface DatExpectations {
  trustedIssuers: string[];
  /** Our connector id (an audience we also accept). */
  connectorId: string;
  minSecurityProfile: SecurityProfile;
  now: Date;
  skewSeconds: number;
  /** The message's ids:issuerConnector. */
  issuerConnector?: string;
  /** SHA-256 (lower-case hex) of the peer's TLS certificate, when it presented one (mutual TLS). */
  peerCertSha256?: string;
  /** FEP_DAPS_ALLOW_MISSING_REFERRING_CONNECTOR: a token without `referringConnector` passes (unbound). */
  allowMissingReferringConnector?: boolean;
}

export interface DatFailure {
  check: string;
  reason: string;
}

const ALL_CONNECTORS = ['idsc:IDS_CONNECTORS_ALL', 'https://w3id.org/idsa/code/IDS_CONNECTORS_ALL'];
const SCOPE = ['idsc:IDS_CONNECTOR_ATTRIBUTES_ALL', 'https://w3id.org/idsa/code/IDS_CONNECTOR_ATTRIBUTES_ALL', 'ids_connector_attributes'];

const asList = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? value.split(' ').filter(Boolean)
      : [];

/** `idsc:TRUST_SECURITY_PROFILE`, its full IRI or the bare name -> the name, if known. */
export function securityProfileName(value: unknown): SecurityProfile | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.replace(/^idsc:/, '').replace(/^https:\/\/w3id\.org\/idsa\/code\//, '');
  return (SECURITY_PROFILES as readonly string[]).includes(name) ? (name as SecurityProfile) : undefined;
}

export function checkDatClaims(claims: Record<string, unknown>, expect: DatExpectations): DatFailure | undefined {
  const fail = (check: string, reason: string): DatFailure => ({ check, reason });
  const now = expect.now.getTime() / 1000;
  const type = claims['@type'];
  if (type !== 'ids:DatPayload' && type !== 'DatPayload' && type !== 'https://w3id.org/idsa/core/DatPayload') {
    return fail('@type', `expected ids:DatPayload, got ${String(type)}`);
  }
  if (typeof claims['iss'] !== 'string' || !expect.trustedIssuers.includes(claims['iss'])) {
    return fail('iss', `issuer ${String(claims['iss'])} is not trusted`);
  }
  const audience = asList(claims['aud']);
  if (!audience.some((a) => ALL_CONNECTORS.includes(a) || a === expect.connectorId)) {
    return fail('aud', `audience ${audience.join(' ') || '(none)'} does not include idsc:IDS_CONNECTORS_ALL or this connector`);
  }
  const scopes = [...asList(claims['scope']), ...asList(claims['scopes'])];
  if (!scopes.some((s) => SCOPE.includes(s))) {
    return fail('scope', `scope ${scopes.join(' ') || '(none)'} lacks idsc:IDS_CONNECTOR_ATTRIBUTES_ALL`);
  }
  if (typeof claims['exp'] !== 'number') return fail('exp', 'missing');
  if (claims['exp'] + expect.skewSeconds < now) return fail('exp', `expired at ${new Date(claims['exp'] * 1000).toISOString()}`);
  if (typeof claims['nbf'] === 'number' && claims['nbf'] - expect.skewSeconds > now) {
    return fail('nbf', `not valid before ${new Date(claims['nbf'] * 1000).toISOString()}`);
  }
  if (typeof claims['iat'] === 'number' && claims['iat'] - expect.skewSeconds > now) {
    return fail('iat', `issued in the future (${new Date(claims['iat'] * 1000).toISOString()})`);
  }
  const profile = securityProfileName(claims['securityProfile']);
  if (profile === undefined) return fail('securityProfile', `unknown security profile ${String(claims['securityProfile'])}`);
  if (SECURITY_PROFILES.indexOf(profile) < SECURITY_PROFILES.indexOf(expect.minSecurityProfile)) {
    return fail('securityProfile', `${profile} is below the required ${expect.minSecurityProfile}`);
  }
  // The claim binds the token to one connector: without it, whoever holds the token could speak for any
  // ids:issuerConnector. Missing is therefore a failure unless the operator accepts such registrations.
  const referring = claims['referringConnector'];
  if (referring === undefined || referring === null) {
    if (!expect.allowMissingReferringConnector) {
      return fail(
        'referringConnector',
        'missing: the token is not bound to a connector (register the connector at the DAPS with its connector id, or set FEP_DAPS_ALLOW_MISSING_REFERRING_CONNECTOR=true)',
      );
    }
  } else if (typeof referring !== 'string') {
    return fail('referringConnector', 'must be the connector IRI as a string');
  } else if (expect.issuerConnector !== undefined && referring !== expect.issuerConnector) {
    return fail('referringConnector', `the token belongs to ${referring}, the message says ${expect.issuerConnector}`);
  }
  if (expect.peerCertSha256 !== undefined) {
    const bound = asList(claims['transportCertsSha256']).map((h) => h.toLowerCase().replace(/:/g, ''));
    if (!bound.includes(expect.peerCertSha256)) {
      return fail(
        'transportCertsSha256',
        `the TLS client certificate (SHA-256 ${expect.peerCertSha256}) is not the one bound to the token`,
      );
    }
  }
  return undefined;
}
