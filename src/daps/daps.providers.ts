/**
 * The token seam's implementations for each FEP_DAPS_MODE: `omejdn` (a real DAPS, IDS-G DAPS + Omejdn's
 * client-credentials protocol), `dev` (the in-process development DAPS) and `disabled` (TRUE's placeholder).
 */
import type { Provider } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { connectorSettings, type ConnectorSettings } from '../ids/connector.settings.js';
import { identitySettings, type IdentitySettings } from '../identity/identity.settings.js';
import { CONNECTOR_IDENTITY, TRUSTED_CAS, type ConnectorIdentity } from '../ids/seams/identity.seam.js';
import { TokenProvider, TokenVerifier } from '../ids/seams/token.seam.js';
import { dapsClientId } from '../identity/connector-identity.js';
import { trustingFetch } from '../identity/trusting.fetch.js';
import { DapsTokenProvider, metadataUrl, type DapsCredentials } from './daps-token.provider.js';
import { dapsSettings, type DapsSettings } from './daps.settings.js';
import { DatVerifier, type VerifierSettings } from './dat.verifier.js';
import { DEV_DAPS_ISSUER, loadDevDapsKey } from './dev-daps.key.js';
import { DapsRequestError, DevDapsService } from './dev-daps.service.js';
import { PlaceholderTokenProvider, UncheckedTokenVerifier } from './disabled.tokens.js';
import { ReplayGuard } from './replay.guard.js';
import { httpClient, type HttpFetch } from '../common/http/http.client.js';

/** The `fetch` for DAPS calls (token, JWKS, metadata): it trusts the truststore too (a DAPS behind an operator CA). */
const DAPS_FETCH = Symbol('DAPS_FETCH');

function credentials(daps: DapsSettings, connector: ConnectorSettings, identity: ConnectorIdentity): DapsCredentials {
  return {
    clientId: daps.clientId ?? dapsClientId(identity.certPem),
    audience: daps.audience,
    keyPem: identity.keyPem,
    chainPems: [identity.certPem, ...identity.chainPems],
    referringConnector: connector.id,
  };
}

function verifierSettings(daps: DapsSettings, connector: ConnectorSettings): Omit<VerifierSettings, 'jwks' | 'trustedIssuers'> {
  return {
    connectorId: connector.id,
    minSecurityProfile: daps.minSecurityProfile,
    skewSeconds: daps.skewSeconds,
    allowMissingReferringConnector: daps.allowMissingReferringConnector,
  };
}

const settings = [dapsSettings.token, connectorSettings.token, CONNECTOR_IDENTITY, Clock];

export const DISABLED_PROVIDERS: Provider[] = [
  { provide: TokenProvider, useClass: PlaceholderTokenProvider },
  { provide: TokenVerifier, useClass: UncheckedTokenVerifier },
];

export const OMEJDN_PROVIDERS: Provider[] = [
  { provide: DAPS_FETCH, inject: [TRUSTED_CAS], useFactory: (cas: string[]) => trustingFetch(cas) },
  {
    provide: TokenProvider,
    inject: [...settings, DAPS_FETCH],
    useFactory: (d: DapsSettings, c: ConnectorSettings, id: ConnectorIdentity, clock: Clock, fetchFn: HttpFetch) =>
      new DapsTokenProvider(
        { ...(d.tokenUrl ? { tokenUrl: d.tokenUrl } : {}), issuer: d.issuers[0] },
        credentials(d, c, id),
        clock,
        fetchFn,
      ),
  },
  {
    provide: TokenVerifier,
    inject: [...settings, DAPS_FETCH, ReplayGuard],
    useFactory: (d: DapsSettings, c: ConnectorSettings, _id: ConnectorIdentity, clock: Clock, fetchFn: HttpFetch, replay: ReplayGuard) => {
      // RFC 8414: the JWKS location comes from the issuer's metadata unless it is configured.
      const jwksUrl = async (): Promise<string> => {
        if (d.jwksUrl) return d.jwksUrl;
        const issuer = d.issuers[0];
        const response = await fetchFn(metadataUrl(issuer), { signal: AbortSignal.timeout(10_000) });
        const metadata = (await response.json()) as { jwks_uri?: string };
        if (!metadata.jwks_uri) throw new Error(`no jwks_uri in the metadata of ${issuer}`);
        return metadata.jwks_uri;
      };
      return new DatVerifier({ ...verifierSettings(d, c), jwks: { url: jwksUrl }, trustedIssuers: d.issuers }, clock, fetchFn, replay);
    },
  },
];

export const DEV_PROVIDERS: Provider[] = [
  {
    provide: DevDapsService,
    inject: [identitySettings.token, TRUSTED_CAS, Clock],
    useFactory: async (i: IdentitySettings, cas: string[], clock: Clock) =>
      new DevDapsService(await loadDevDapsKey(i.certsDir), cas, clock),
  },
  {
    provide: TokenProvider,
    inject: [...settings, DevDapsService],
    useFactory: (d: DapsSettings, c: ConnectorSettings, id: ConnectorIdentity, clock: Clock, daps: DevDapsService) =>
      new DapsTokenProvider({}, credentials(d, c, id), clock, httpClient(), async (form) => {
        try {
          return { ok: true, status: 200, text: JSON.stringify(await daps.issue(Object.fromEntries(form))) };
        } catch (error) {
          if (error instanceof DapsRequestError) {
            return { ok: false, status: 400, text: JSON.stringify({ error: error.error, error_description: error.description }) };
          }
          throw error;
        }
      }),
  },
  {
    provide: TokenVerifier,
    inject: [...settings, DevDapsService, ReplayGuard],
    useFactory: (d: DapsSettings, c: ConnectorSettings, _id: ConnectorIdentity, clock: Clock, daps: DevDapsService, replay: ReplayGuard) =>
      new DatVerifier(
        { ...verifierSettings(d, c), jwks: { keys: () => daps.jwks }, trustedIssuers: [DEV_DAPS_ISSUER, ...d.issuers] },
        clock,
        httpClient(),
        replay,
      ),
  },
];
