import { PLACEHOLDER_TOKEN, TokenProvider, TokenVerifier, type VerifiedToken } from '../ids/seams/token.seam.js';

/** FEP_DAPS_MODE=disabled, as TRUE Connector's "DAPS interaction disabled": its placeholder token goes out. */
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
