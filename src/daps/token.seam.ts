/**
 * The security-token seam: every outbound message gets its token from a TokenProvider, every inbound one is
 * checked by a TokenVerifier. The trust issue replaces the `disabled` implementations below with DAPS ones.
 */
import type { IdsMessage } from '../ids/messages/message.types.js';

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

/** TRUE Connector's placeholder with DAPS interaction disabled. */
export const PLACEHOLDER_TOKEN = 'DummyTokenValue';

export class PlaceholderTokenProvider extends TokenProvider {
  token(): Promise<string> {
    return Promise.resolve(PLACEHOLDER_TOKEN);
  }
}

/** Accepts every token: FEP_DAPS_MODE=disabled, for local trials only (the boot log says so loudly). */
export class UncheckedTokenVerifier extends TokenVerifier {
  verify(): Promise<VerifiedToken> {
    return Promise.resolve({ claims: {} });
  }
}
