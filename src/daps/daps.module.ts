import { Global, Inject, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CONNECTOR_CONFIG } from '../config/config.module.js';
import type { ConnectorConfig } from '../config/connector.config.js';
import { PlaceholderTokenProvider, TokenProvider, TokenVerifier, UncheckedTokenVerifier } from './token.seam.js';

/** Provides the token seam for the configured FEP_DAPS_MODE. */
@Global()
@Module({
  providers: [
    { provide: TokenProvider, useClass: PlaceholderTokenProvider },
    { provide: TokenVerifier, useClass: UncheckedTokenVerifier },
  ],
  exports: [TokenProvider, TokenVerifier],
})
export class DapsModule implements OnApplicationBootstrap {
  constructor(@Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig) {}

  onApplicationBootstrap(): void {
    if (this.config.ids.dapsMode === 'disabled') {
      new Logger('DAPS').warn(
        '*** FEP_DAPS_MODE=disabled: messages carry a placeholder token and inbound tokens are NOT checked. ' +
          'Any party that reaches /data is trusted. For local trials only. ***',
      );
    }
  }
}
