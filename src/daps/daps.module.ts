import { Logger, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TokenProvider, TokenVerifier } from '../ids/seams/token.seam.js';
import { DISABLED_PROVIDERS, DEV_PROVIDERS, OMEJDN_PROVIDERS } from './daps.providers.js';
import type { DapsSettings } from './daps.settings.js';
import { DatabaseReplayGuard } from './database-replay.guard.js';
import { DevDapsController } from './dev-daps.controller.js';
import { SeenMessageEntity } from './entities/seen-message.entity.js';
import { MemoryReplayGuard, ReplayGuard } from './replay.guard.js';

/**
 * Trust: implements the IDS core's token seam for the configured FEP_DAPS_MODE. The mode is fixed at boot, so it
 * chooses the providers (and whether the development DAPS endpoints exist at all) when the module is composed.
 */
@Module({})
export class DapsModule {
  static forRoot(daps: DapsSettings, clientId: string): DynamicModule {
    const logger = new Logger('DAPS');
    if (daps.mode !== 'disabled' && daps.allowMissingReferringConnector) {
      logger.warn(
        'FEP_DAPS_ALLOW_MISSING_REFERRING_CONNECTOR=true: DATs without referringConnector are accepted, unbound to the message issuer; each one is logged',
      );
    }
    let providers: Provider[];
    if (daps.mode === 'disabled') {
      logger.warn(
        '*** FEP_DAPS_MODE=disabled: messages carry a placeholder token and inbound tokens are NOT checked. Any party that reaches /data is trusted. For local trials only. ***',
      );
      providers = DISABLED_PROVIDERS;
    } else if (daps.mode === 'omejdn') {
      logger.log(
        `DAPS ${daps.issuers[0] ?? ''}; this connector's client id (register it there with its certificate): ${clientId}; inbound tokens must reach ${daps.minSecurityProfile}`,
      );
      providers = OMEJDN_PROVIDERS;
    } else {
      logger.warn(
        `FEP_DAPS_MODE=dev: this connector serves a DEVELOPMENT DAPS (/daps/token) with a key shared through its certs folder. Not for production. Client id ${clientId}.`,
      );
      providers = DEV_PROVIDERS;
    }
    // Instances sharing a PostgreSQL store share the replay memory; a single (SQLite) instance keeps it in-process.
    const replay: Provider = {
      provide: ReplayGuard,
      inject: [DataSource],
      useFactory: (ds: DataSource) => (ds.options.type === 'postgres' ? new DatabaseReplayGuard(ds.manager) : new MemoryReplayGuard()),
    };
    return {
      module: DapsModule,
      imports: [TypeOrmModule.forFeature([SeenMessageEntity])],
      controllers: daps.mode === 'dev' ? [DevDapsController] : [],
      providers: [...providers, replay],
      exports: [TokenProvider, TokenVerifier],
    };
  }
}
