/**
 * The client assertion of the OAuth 2.0 client-credentials request to a DAPS (RFC 7523 jwt-bearer; IDS-G DAPS;
 * Omejdn docs/Usage): RS256, `iss` = `sub` = the client id, `aud`, `iat`, `nbf`, `exp` a minute ahead, a fresh
 * `jti`. The certificate chain rides in `x5c` (ignored by Omejdn, used by the development DAPS).
 */
import { createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

export interface AssertionInput {
  clientId: string;
  audience: string;
  keyPem: string;
  /** Leaf first, as base64 DER (x5c). */
  chainPems: string[];
  now: Date;
  /** Our connector id: Omejdn ignores it; the development DAPS copies it into the DAT. */
  referringConnector?: string;
}

function pemToBase64Der(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

export function createClientAssertion(input: AssertionInput): Promise<string> {
  const now = Math.floor(input.now.getTime() / 1000);
  return new SignJWT({
    '@context': 'https://w3id.org/idsa/contexts/context.jsonld',
    '@type': 'ids:DatRequestToken',
    ...(input.referringConnector === undefined ? {} : { referringConnector: input.referringConnector }),
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5c: input.chainPems.map(pemToBase64Der) })
    .setIssuer(input.clientId)
    .setSubject(input.clientId)
    .setAudience(input.audience)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 60)
    .setJti(randomUUID())
    .sign(createPrivateKey(input.keyPem));
}

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const DAT_SCOPE = 'idsc:IDS_CONNECTOR_ATTRIBUTES_ALL';
