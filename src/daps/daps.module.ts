import { Global, Logger, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { CONNECTOR_CONFIG } from '../config/config.module.js';
import type { ConnectorConfig } from '../config/connector.config.js';
import { dapsClientId, type ConnectorIdentity } from './connector-identity.js';
import { DapsTokenProvider, metadataUrl } from './daps-token.provider.js';
import { DatVerifier } from './dat.verifier.js';
import { DEV_DAPS_ISSUER, loadDevDapsKey } from './dev-daps.key.js';
import { DevDapsController } from './dev-daps.controller.js';
import { DapsRequestError, DevDapsService } from './dev-daps.service.js';
import { CONNECTOR_IDENTITY } from './identity.token.js';
import { PlaceholderTokenProvider, TokenProvider, TokenVerifier, UncheckedTokenVerifier } from './token.seam.js';
import { TRUSTED_CAS } from './trusted-cas.token.js';
import { trustingFetch } from './trusting.fetch.js';
import { DataSource } from 'typeorm';
import { DatabaseReplayGuard } from './database-replay.guard.js';
import { MemoryReplayGuard, ReplayGuard } from './replay.guard.js';

/** The `fetch` for DAPS calls (token, JWKS, metadata). */
const DAPS_FETCH = Symbol('DAPS_FETCH');

function credentials(config: ConnectorConfig, identity: ConnectorIdentity): ConstructorParameters<typeof DapsTokenProvider>[1] {
  return {
    clientId: config.daps.clientId ?? dapsClientId(identity.certPem),
    audience: config.daps.audience,
    keyPem: identity.keyPem,
    chainPems: [identity.certPem, ...identity.chainPems],
    referringConnector: config.connector.id,
  };
}

function verifierSettings(config: ConnectorConfig): Omit<ConstructorParameters<typeof DatVerifier>[0], 'jwks' | 'trustedIssuers'> {
  return {
    connectorId: config.connector.id,
    minSecurityProfile: config.daps.minSecurityProfile,
    skewSeconds: config.daps.skewSeconds,
    allowMissingReferringConnector: config.daps.allowMissingReferringConnector,
  };
}

/** The token seam for the configured FEP_DAPS_MODE (disabled, omejdn, dev). */
@Global()
@Module({})
export class DapsModule {
  static forRoot(config: ConnectorConfig, clientId: string): DynamicModule {
    const logger = new Logger('DAPS');
    const mode = config.ids.dapsMode;
    if (mode !== 'disabled' && config.daps.allowMissingReferringConnector) {
      logger.warn('FEP_DAPS_ALLOW_MISSING_REFERRING_CONNECTOR=true: DATs without referringConnector are accepted, unbound to the message issuer; each one is logged');
    }
    const inject = [CONNECTOR_CONFIG, CONNECTOR_IDENTITY, Clock, TRUSTED_CAS];
    let providers: Provider[];
    if (mode === 'disabled') {
      logger.warn('*** FEP_DAPS_MODE=disabled: messages carry a placeholder token and inbound tokens are NOT checked. Any party that reaches /data is trusted. For local trials only. ***');
      providers = [
        { provide: TokenProvider, useClass: PlaceholderTokenProvider },
        { provide: TokenVerifier, useClass: UncheckedTokenVerifier },
      ];
    } else if (mode === 'omejdn') {
      const issuer = config.daps.issuers[0];
      const jwksUrl = (fetchFn: typeof fetch) => async (): Promise<string> => {
        if (config.daps.jwksUrl) return config.daps.jwksUrl;
        const response = await fetchFn(metadataUrl(issuer), { signal: AbortSignal.timeout(10_000) });
        const metadata = (await response.json()) as { jwks_uri?: string };
        if (!metadata.jwks_uri) throw new Error(`no jwks_uri in the metadata of ${issuer}`);
        return metadata.jwks_uri;
      };
      providers = [
        // The DAPS may sit behind an operator CA: its calls trust the truststore too.
        { provide: DAPS_FETCH, inject: [TRUSTED_CAS], useFactory: (cas: string[]) => trustingFetch(cas) },
        {
          provide: TokenProvider,
          inject: [...inject, DAPS_FETCH],
          useFactory: (c: ConnectorConfig, id: ConnectorIdentity, clock: Clock, _cas: string[], fetchFn: typeof fetch) =>
            new DapsTokenProvider({ ...(c.daps.tokenUrl ? { tokenUrl: c.daps.tokenUrl } : {}), issuer }, credentials(c, id), clock, fetchFn),
        },
        {
          provide: TokenVerifier,
          inject: [...inject, DAPS_FETCH, ReplayGuard],
          useFactory: (c: ConnectorConfig, _id: ConnectorIdentity, clock: Clock, _cas: string[], fetchFn: typeof fetch, replay: ReplayGuard) =>
            new DatVerifier({ ...verifierSettings(c), jwks: { url: jwksUrl(fetchFn) }, trustedIssuers: c.daps.issuers }, clock, fetchFn, replay),
        },
      ];
      logger.log(`DAPS ${issuer}; this connector's client id (register it there with its certificate): ${clientId}; inbound tokens must reach ${config.daps.minSecurityProfile}`);
    } else {
      logger.warn(`FEP_DAPS_MODE=dev: this connector serves a DEVELOPMENT DAPS (/daps/token) with a key shared through its certs folder. Not for production. Client id ${clientId}.`);
      providers = [
        {
          provide: DevDapsService,
          inject,
          useFactory: async (c: ConnectorConfig, _id: ConnectorIdentity, clock: Clock, cas: string[]) => new DevDapsService(await loadDevDapsKey(c.identity.certsDir), cas, clock),
        },
        {
          provide: TokenProvider,
          inject: [...inject, DevDapsService],
          useFactory: (c: ConnectorConfig, id: ConnectorIdentity, clock: Clock, _cas: string[], daps: DevDapsService) =>
            new DapsTokenProvider({}, credentials(c, id), clock, fetch, async (form) => {
              try {
                return { ok: true, status: 200, text: JSON.stringify(await daps.issue(Object.fromEntries(form))) };
              } catch (error) {
                if (error instanceof DapsRequestError) return { ok: false, status: 400, text: JSON.stringify({ error: error.error, error_description: error.description }) };
                throw error;
              }
            }),
        },
        {
          provide: TokenVerifier,
          inject: [...inject, DevDapsService, ReplayGuard],
          useFactory: (c: ConnectorConfig, _id: ConnectorIdentity, clock: Clock, _cas: string[], daps: DevDapsService, replay: ReplayGuard) =>
            new DatVerifier({ ...verifierSettings(c), jwks: { keys: () => daps.jwks }, trustedIssuers: [DEV_DAPS_ISSUER, ...c.daps.issuers] }, clock, fetch, replay),
        },
      ];
    }
    // Instances sharing a PostgreSQL store share the replay memory; a single (SQLite) instance keeps it in-process.
    const replay: Provider = {
      provide: ReplayGuard,
      inject: [DataSource],
      useFactory: (ds: DataSource) => (ds.options.type === 'postgres' ? new DatabaseReplayGuard(ds.manager) : new MemoryReplayGuard()),
    };
    return { module: DapsModule, controllers: mode === 'dev' ? [DevDapsController] : [], providers: [...providers, replay], exports: [TokenProvider, TokenVerifier] };
  }
}
