import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, type JSONWebKeySet } from 'jose';
import type { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import type { SecurityProfile } from '../ids/infomodel/vocabulary.js';
import type { IdsMessage } from '../ids/messages/message.types.js';
import { checkDatClaims, securityProfileName } from './dat-claims.check.js';
import { MemoryReplayGuard, type ReplayGuard } from './replay.guard.js';
import { TokenVerifier, type PeerContext, type VerifiedToken } from '../ids/seams/token.seam.js';
import { httpClient, type HttpFetch } from '../common/http/http.client.js';

/** Where the verifier gets the DAPS keys from: a JWKS URL (cached) or a fixed set (the dev DAPS). */
export type JwksSource = { url: () => Promise<string> } | { keys: () => JSONWebKeySet };

export interface VerifierSettings {
  jwks: JwksSource;
  trustedIssuers: string[];
  connectorId: string;
  minSecurityProfile: SecurityProfile;
  skewSeconds: number;
  allowMissingReferringConnector?: boolean;
  /** Shortest time between two JWKS fetches caused by unknown key ids. */
  refetchIntervalMs?: number;
}

/**
 * The JWS algorithms a DAT may be signed with: asymmetric only (RFC 7518 section 3; Omejdn signs RS256). Pinned
 * here rather than left to the library's defaults, so `none` and HMAC (a public key used as a shared secret)
 * can never verify.
 */
export const DAT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Only public signing keys of the pinned algorithms are taken from a DAPS's JWKS (no `oct` secrets). */
export function signingKeys(set: JSONWebKeySet): JSONWebKeySet {
  return {
    keys: set.keys.filter(
      (k) =>
        ['RSA', 'EC', 'OKP'].includes(k.kty ?? '') &&
        (k.alg === undefined || DAT_ALGORITHMS.includes(k.alg)) &&
        (k.use === undefined || k.use === 'sig'),
    ),
  };
}

/** Verified tokens kept at most (the oldest goes first): peers times the tokens each holds at once. */
const DAT_CACHE_SIZE = 4096;

// The check travels as the error's field: the audit and the metrics count refusals by check.
const unauthenticated = (check: string, reason: string): ConnectorError =>
  new ConnectorError('NOT_AUTHENTICATED', `DAT check failed: ${check}: ${reason}`, check);

/**
 * Verifies the DAT of every inbound message and reply: signature against the DAPS JWKS (cached; refetched when a
 * token names an unknown key, at most once per interval, so key rotation is followed without a restart), the
 * claims (dat-claims.check.ts), and replays (a message @id seen again within its token's lifetime).
 */
export class DatVerifier extends TokenVerifier {
  private jwks?: { set: ReturnType<typeof createLocalJWKSet>; kids: Set<string> };
  private lastFetch = 0;
  private readonly logger = new Logger('DAT');

  constructor(
    private readonly settings: VerifierSettings,
    private readonly clock: Clock,
    private readonly fetchFn: HttpFetch = httpClient(),
    private readonly replay: ReplayGuard = new MemoryReplayGuard(),
  ) {
    super();
  }

  async verify(message: IdsMessage, peer: PeerContext = {}): Promise<VerifiedToken> {
    const token = message.securityToken?.tokenValue;
    if (token === undefined || token === '') throw unauthenticated('securityToken', 'the message carries no token');
    // A token seen before is the same string: its header and claims were decoded and its signature checked then.
    let claims = this.cachedClaims(token);
    if (claims === undefined) {
      let kid: string | undefined;
      try {
        kid = decodeProtectedHeader(token).kid;
        decodeJwt(token);
      } catch {
        throw unauthenticated('format', 'the token is not a JWT');
      }
      const keys = await this.keysFor(kid);
      try {
        const { payload } = await compactVerify(token, keys, { algorithms: DAT_ALGORITHMS });
        claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey) throw unauthenticated('kid', `no DAPS key ${kid ?? '(none)'}`);
        throw unauthenticated('signature', error instanceof Error ? error.message : String(error));
      }
      this.remember(token, kid, claims);
    }
    const failure = checkDatClaims(claims, {
      trustedIssuers: this.settings.trustedIssuers,
      connectorId: this.settings.connectorId,
      minSecurityProfile: this.settings.minSecurityProfile,
      now: this.clock.now(),
      skewSeconds: this.settings.skewSeconds,
      issuerConnector: message.issuerConnector,
      allowMissingReferringConnector: this.settings.allowMissingReferringConnector ?? false,
      ...(peer.certSha256 === undefined ? {} : { peerCertSha256: peer.certSha256 }),
    });
    if (failure) throw unauthenticated(failure.check, failure.reason);
    if (claims['referringConnector'] === undefined) {
      this.logger.warn(
        `accepted a DAT without referringConnector for ${message.issuerConnector} (sub ${String(claims['sub'])}): FEP_DAPS_ALLOW_MISSING_REFERRING_CONNECTOR is on`,
      );
    }
    // Remembered as long as the token can still be accepted (its exp plus the tolerated skew), not just until exp.
    const now = this.clock.now().getTime();
    const until = (typeof claims['exp'] === 'number' ? claims['exp'] * 1000 : now + 3_600_000) + this.settings.skewSeconds * 1000;
    // A replay is the same message again: same @id and same ids:issued. A sender's retry of a message it could not
    // deliver keeps its @id (receivers drop what they already processed by it: clearing-house records, delivery
    // notifications) but is issued anew, so it is not refused here.
    const key = createHash('sha256').update(`${message.id}\n${message.issued}`).digest('hex');
    if (!(await this.replay.firstSeen(key, until, now))) {
      throw unauthenticated('replay', `message ${message.id} was already received`);
    }
    const profile = securityProfileName(claims['securityProfile']);
    return {
      ...(typeof claims['sub'] === 'string' ? { subject: claims['sub'] } : {}),
      ...(profile ? { securityProfile: profile } : {}),
      claims,
    };
  }

  /**
   * A DAT is a bearer token a peer reuses for many messages: its signature is checked once and its claims kept until
   * it expires (plus the skew). Every check that depends on the message or the time (issuer binding, expiry,
   * certificate binding, replay) still runs on each message. A key the DAPS no longer publishes drops its tokens.
   */
  private readonly verified = new Map<string, { kid: string | undefined; claims: Record<string, unknown>; untilMs: number }>();

  private cachedClaims(token: string): Record<string, unknown> | undefined {
    const hit = this.verified.get(token);
    if (hit === undefined) return undefined;
    const stillPublished =
      !('url' in this.settings.jwks) || this.jwks === undefined || hit.kid === undefined || this.jwks.kids.has(hit.kid);
    if (hit.untilMs < this.clock.now().getTime() || !stillPublished) {
      this.verified.delete(token);
      return undefined;
    }
    return hit.claims;
  }

  private remember(token: string, kid: string | undefined, claims: Record<string, unknown>): void {
    const exp = typeof claims['exp'] === 'number' ? claims['exp'] * 1000 : undefined;
    if (exp === undefined) return;
    if (this.verified.size >= DAT_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { kid, claims, untilMs: exp + this.settings.skewSeconds * 1000 });
  }

  private async keysFor(kid: string | undefined): Promise<ReturnType<typeof createLocalJWKSet>> {
    const source = this.settings.jwks;
    if ('keys' in source) return createLocalJWKSet(signingKeys(source.keys()));
    const known = this.jwks !== undefined && (kid === undefined || this.jwks.kids.has(kid));
    const interval = this.settings.refetchIntervalMs ?? 2_000;
    const now = this.clock.now().getTime();
    if (!known && (this.jwks === undefined || Math.abs(now - this.lastFetch) >= interval)) {
      this.lastFetch = now;
      let set: JSONWebKeySet;
      let url = '(DAPS JWKS)';
      try {
        url = await source.url();
        const response = await this.fetchFn(url, { signal: AbortSignal.timeout(10_000) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        set = signingKeys((await response.json()) as JSONWebKeySet);
      } catch (error) {
        if (this.jwks) return this.jwks.set;
        throw new ConnectorError(
          'TEMPORARILY_NOT_AVAILABLE',
          `the DAPS keys at ${url} cannot be fetched: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      this.jwks = {
        set: createLocalJWKSet(set),
        kids: new Set(set.keys.map((k) => k.kid).filter((k): k is string => typeof k === 'string')),
      };
      this.logger.log(`DAPS keys from ${url}: ${[...this.jwks.kids].join(', ')}`);
    }
    if (this.jwks === undefined) throw unauthenticated('kid', 'no DAPS keys');
    return this.jwks.set;
  }
}
