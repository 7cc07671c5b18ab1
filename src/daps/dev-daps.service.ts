import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import type { Clock } from '../common/clock.js';
import { dapsClientId } from '../identity/connector-identity.js';
import { CLIENT_ASSERTION_TYPE } from './client-assertion.js';
import { DEV_DAPS_ISSUER, type DevDapsKey } from './dev-daps.key.js';

/** An OAuth error as Omejdn answers it (HTTP 400, `error` + `error_description`). */
export class DapsRequestError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const LEEWAY_SECONDS = 30;

/**
 * A development DAPS speaking Omejdn's token protocol (FEP_DAPS_MODE=dev). A client is "registered" when its
 * assertion carries (x5c) a certificate that chains to a trusted CA and whose SKI:keyid:AKI is the assertion's
 * iss and sub; the assertion is checked as Omejdn 1.6 does (signature, iss = sub, aud, expiry with 30 s leeway).
 * The DAT has Omejdn's claim set. Not for production: whoever holds a dev-CA certificate gets a token.
 */
export class DevDapsService {
  constructor(
    private readonly key: DevDapsKey,
    private readonly trustedCaPems: string[],
    private readonly clock: Clock,
    private readonly audience = 'idsc:IDS_CONNECTORS_ALL',
  ) {}

  get jwks(): DevDapsKey['jwks'] {
    return this.key.jwks;
  }

  async issue(
    form: Record<string, string | undefined>,
  ): Promise<{ access_token: string; expires_in: number; token_type: string; scope: string }> {
    if (form['grant_type'] !== 'client_credentials') {
      throw new DapsRequestError('unsupported_grant_type', 'Only client_credentials is supported');
    }
    if (form['client_assertion_type'] !== CLIENT_ASSERTION_TYPE || !form['client_assertion']) {
      throw new DapsRequestError('invalid_client', 'Client unknown');
    }
    const assertion = form['client_assertion'];
    let chain: X509Certificate[];
    try {
      chain = (decodeProtectedHeader(assertion).x5c ?? []).map((b64) => new X509Certificate(Buffer.from(b64, 'base64')));
    } catch {
      throw new DapsRequestError('invalid_client', 'Client unknown');
    }
    const leaf = chain[0];
    if (leaf === undefined || !this.trusted(leaf, chain.slice(1))) throw new DapsRequestError('invalid_client', 'Client unknown');
    const clientId = dapsClientId(leaf.toString());
    const claims = decodeJwt(assertion);
    if (claims.iss !== clientId || claims.sub !== clientId) throw new DapsRequestError('invalid_client', 'Client unknown');
    try {
      await compactVerify(assertion, leaf.publicKey);
    } catch {
      throw new DapsRequestError('invalid_client', 'Signature verification failed');
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(this.audience)) throw new DapsRequestError('invalid_client', 'Invalid audience');
    const now = Math.floor(this.clock.now().getTime() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp + LEEWAY_SECONDS < now) {
      throw new DapsRequestError('invalid_client', 'Signature has expired');
    }
    const referring = (claims as Record<string, unknown>)['referringConnector'];
    const token = await new SignJWT({
      '@context': 'https://w3id.org/idsa/contexts/context.jsonld',
      '@type': 'ids:DatPayload',
      scope: 'idsc:IDS_CONNECTOR_ATTRIBUTES_ALL',
      client_id: clientId,
      securityProfile: 'idsc:BASE_SECURITY_PROFILE',
      ...(typeof referring === 'string' ? { referringConnector: referring } : {}),
      transportCertsSha256: createHash('sha256').update(leaf.raw).digest('hex'),
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: this.key.kid })
      .setIssuer(DEV_DAPS_ISSUER)
      .setSubject(clientId)
      .setAudience(['idsc:IDS_CONNECTORS_ALL'])
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 3600)
      .setJti(randomUUID())
      .sign(this.key.privateKey);
    return { access_token: token, expires_in: 3600, token_type: 'bearer', scope: 'idsc:IDS_CONNECTOR_ATTRIBUTES_ALL' };
  }

  /** The leaf chains (through the given intermediates) to a trusted CA and is valid now. */
  private trusted(leaf: X509Certificate, intermediates: X509Certificate[]): boolean {
    const now = this.clock.now();
    const anchors = this.trustedCaPems.map((pem) => new X509Certificate(pem));
    let current = leaf;
    for (let depth = 0; depth < 5; depth++) {
      if (new Date(current.validFrom) > now || new Date(current.validTo) < now) return false;
      const anchor = anchors.find((ca) => current.checkIssued(ca) && current.verify(ca.publicKey));
      if (anchor) return true;
      const next = intermediates.find((ca) => current.checkIssued(ca) && current.verify(ca.publicKey));
      if (!next) return false;
      current = next;
    }
    return false;
  }
}
