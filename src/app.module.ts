import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AdminAuthGuard } from './auth/admin-auth.guard.js';
import { AdminExceptionFilter } from './common/admin-exception.filter.js';
import type { Clock } from './common/clock.js';
import { ConfigModule } from './config/config.module.js';
import type { ConnectorConfig } from './config/connector.config.js';
import { dapsClientId, type ConnectorIdentity } from './daps/connector-identity.js';
import { DatabaseModule } from './database/database.module.js';
import { ResourcesModule } from './resources/resources.module.js';
import { ContractsModule } from './contracts/contracts.module.js';
import { ConsumerModule } from './consumer/consumer.module.js';
import { DapsModule } from './daps/daps.module.js';
import { IdsModule } from './ids/ids.module.js';
import { BrokerModule } from './broker/broker.module.js';
import { AuditModule } from './audit/audit.module.js';
import { ClearingHouseModule } from './clearing-house/clearing-house.module.js';

/** Composition only. */
@Module({})
export class AppModule {
  static forRoot(config: ConnectorConfig, identity: ConnectorIdentity, trustedCas: string[], clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config, identity, trustedCas, clock), DatabaseModule, DapsModule.forRoot(config, config.daps.clientId ?? dapsClientId(identity.certPem)), AuditModule, ClearingHouseModule, IdsModule, ResourcesModule, ContractsModule, ConsumerModule, BrokerModule],
      providers: [
        { provide: APP_GUARD, useClass: AdminAuthGuard },
        { provide: APP_FILTER, useClass: AdminExceptionFilter },
      ],
    };
  }
}
