import { bool, httpUrl, int, list, oneOf, text } from '../config/setting.parsers.js';
import { defineArea, optional, setting, type SettingsOf } from '../config/setting.js';
import { SECURITY_PROFILES } from '../ids/infomodel/vocabulary.js';

export const DAPS_MODES = ['disabled', 'omejdn', 'dev'] as const;
export type DapsMode = (typeof DAPS_MODES)[number];

/** Where tokens come from and what an inbound token must show. */
export const dapsSettings = defineArea(
  'daps',
  {
    // No default trust: the development DAPS runs only where asked for (the demo, `npm start`).
    mode: setting(
      'FEP_DAPS_MODE',
      oneOf(...DAPS_MODES),
      ({ read, problem }): DapsMode => {
        if (read<string[]>('FEP_DAPS_ISSUER').length > 0) return 'omejdn';
        problem(
          'FEP_DAPS_MODE is not set: for a real DAPS set FEP_DAPS_MODE=omejdn and FEP_DAPS_ISSUER=<issuer URL>; FEP_DAPS_MODE=dev serves a development DAPS (the demo: `npm start` sets it); FEP_DAPS_MODE=disabled sends placeholder tokens (trials with TRUE peers only)',
        );
        return 'disabled';
      },
      '`omejdn`: tokens from a real DAPS (Omejdn 1.x); `dev`: the connector also serves a development DAPS (shared key in `$FEP_CERTS_DIR`, not for production); `disabled`: placeholder token sent, inbound tokens not checked (local trials with TRUE peers only; the boot log warns)',
      '(required; `omejdn` when FEP_DAPS_ISSUER is set; `npm start` sets `dev`)',
    ),
    tokenUrl: optional('FEP_DAPS_URL', httpUrl, 'DAPS token endpoint, e.g. `https://omejdn/auth/token`', '(discovered from the issuer)'),
    jwksUrl: optional('FEP_DAPS_JWKS_URL', httpUrl, 'DAPS JWKS, e.g. `https://omejdn/auth/jwks.json`', '(discovered from the issuer)'),
    issuers: setting(
      'FEP_DAPS_ISSUER',
      list,
      [],
      'trusted DAT issuers, comma-separated; the first one issues our tokens (RFC 8414 metadata at `<origin>/.well-known/oauth-authorization-server/<path>`)',
      '(required in omejdn mode)',
    ),
    audience: setting('FEP_DAPS_AUDIENCE', text, 'idsc:IDS_CONNECTORS_ALL', '`aud` of the client assertion'),
    clientId: optional('FEP_DAPS_CLIENT_ID', text, 'client id registered at the DAPS', '(SKI:keyid:AKI of the certificate)'),
    minSecurityProfile: setting(
      'FEP_SECURITY_PROFILE_MIN',
      oneOf(...SECURITY_PROFILES),
      'BASE_SECURITY_PROFILE',
      'lowest `securityProfile` accepted in inbound DATs (base < trust < trust+)',
    ),
    skewSeconds: setting('FEP_DAPS_SKEW_SECONDS', int(0, 3600), 60, 'clock skew allowed when checking `exp`, `nbf`, `iat`'),
    allowMissingReferringConnector: setting(
      'FEP_DAPS_ALLOW_MISSING_REFERRING_CONNECTOR',
      bool,
      false,
      "accept DATs without a `referringConnector` claim (DAPS registrations that lack it); such a token is not bound to the message's `ids:issuerConnector`, so each one is logged as a warning",
    ),
  },
  (s) => (s.mode === 'omejdn' && s.issuers.length === 0 ? ['FEP_DAPS_ISSUER is required when FEP_DAPS_MODE=omejdn'] : []),
);
export type DapsSettings = SettingsOf<typeof dapsSettings>;
