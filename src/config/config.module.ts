import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { ConnectorIdentity } from '../daps/connector-identity.js';
import { CONNECTOR_IDENTITY } from '../daps/identity.token.js';
import { TRUSTED_CAS } from '../daps/trusted-cas.token.js';
import { Clock, SystemClock } from '../common/clock.js';
import type { ConnectorConfig } from './connector.config.js';

/** Injection token of the validated, typed configuration. */
export const CONNECTOR_CONFIG = Symbol('CONNECTOR_CONFIG');

/** What the boot sequence established before Nest started: configuration, identity, trusted CAs, the clock. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: ConnectorConfig, identity: ConnectorIdentity, trustedCas: string[], clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: CONNECTOR_CONFIG, useValue: config },
        { provide: CONNECTOR_IDENTITY, useValue: identity },
        { provide: Clock, useValue: clock },
        { provide: TRUSTED_CAS, useValue: trustedCas },
      ],
      exports: [CONNECTOR_CONFIG, CONNECTOR_IDENTITY, Clock, TRUSTED_CAS],
    };
  }
}
