/**
 * Seam: every outbound message gets its token from a TokenProvider, every inbound message and reply is checked by
 * a TokenVerifier (IDS-G, Components/IdentityProvider/DAPS: the Dynamic Attribute Token). `daps/` implements
 * both for each FEP_DAPS_MODE.
 */
import type { IdsMessage } from '../messages/message.types.js';

/** What a verified DAT says about its holder (empty in disabled mode). */
export interface VerifiedToken {
  subject?: string;
  securityProfile?: string;
  claims: Record<string, unknown>;
}

export abstract class TokenProvider {
  abstract token(): Promise<string>;
}

/** What the transport knows about the peer. */
export interface PeerContext {
  /** SHA-256 (lower-case hex) of the certificate the peer presented in TLS: client (mTLS) or server (replies). */
  certSha256?: string;
}

export abstract class TokenVerifier {
  /** Resolves with what the token says, or throws ConnectorError NOT_AUTHENTICATED naming the failed check. */
  abstract verify(message: IdsMessage, peer?: PeerContext): Promise<VerifiedToken>;
}

/** TRUE Connector's placeholder token with DAPS interaction disabled (its rejections carry it even with DAPS on). */
export const PLACEHOLDER_TOKEN = 'DummyTokenValue';
