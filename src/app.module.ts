import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AREAS, type ConnectorConfig } from './app.settings.js';
import { AuditModule } from './audit/audit.module.js';
import { AdminAuthGuard } from './auth/admin-auth.guard.js';
import { BrokerModule } from './broker/broker.module.js';
import { ClearingHouseModule } from './clearing-house/clearing-house.module.js';
import { Clock, SystemClock } from './common/clock.js';
import { Metrics } from './common/telemetry/metrics.js';
import { AdminListener } from './common/http/admin-listener.js';
import { AdminExceptionFilter } from './common/http/admin-exception.filter.js';
import { ConfigModule } from './config/config.module.js';
import { ConsumerModule } from './consumer/consumer.module.js';
import { ContractsModule } from './contracts/contracts.module.js';
import { DapsModule } from './daps/daps.module.js';
import { DataAppsModule } from './data-apps/data-apps.module.js';
import { DeliveryModule } from './delivery/delivery.module.js';
import { DatabaseModule } from './database/database.module.js';
import { dapsClientId } from './identity/connector-identity.js';
import { IdsSeamsModule } from './ids/ids-seams.module.js';
import { IdsModule } from './ids/ids.module.js';
import { CONNECTOR_IDENTITY, TRUSTED_CAS, type ConnectorIdentity } from './ids/seams/identity.seam.js';
import { OperationsModule } from './operations/operations.module.js';
import { ResourcesModule } from './resources/resources.module.js';
import { RuntimeModule } from './runtime/runtime.module.js';
import { TrueCompatModule } from './true-compat/true-compat.module.js';
import { UsageModule } from './usage/usage.module.js';

/** Composition only: the boot facts, the seams bound to their implementations, the features, the TRUE wing. */
@Module({})
export class AppModule {
  static forRoot(
    config: ConnectorConfig,
    identity: ConnectorIdentity,
    trustedCas: string[],
    adminListener: AdminListener,
    clock?: Clock,
    dataApps: Type[] = [],
  ): DynamicModule {
    const facts = [
      { provide: Clock, useValue: clock ?? new SystemClock() },
      { provide: Metrics, useValue: new Metrics() },
      { provide: AdminListener, useValue: adminListener },
      { provide: CONNECTOR_IDENTITY, useValue: identity },
      { provide: TRUSTED_CAS, useValue: trustedCas },
    ];
    const apps = DataAppsModule.register(dataApps);
    const trust = DapsModule.forRoot(config.daps, config.daps.clientId ?? dapsClientId(identity.certPem));
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, AREAS, facts),
        DatabaseModule,
        IdsSeamsModule.bind([trust, AuditModule]),
        RuntimeModule,
        IdsModule,
        ClearingHouseModule,
        UsageModule,
        ResourcesModule,
        ContractsModule,
        ConsumerModule,
        BrokerModule,
        apps,
        DeliveryModule.register(apps),
        OperationsModule.register(apps),
        TrueCompatModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AdminAuthGuard },
        { provide: APP_FILTER, useClass: AdminExceptionFilter },
      ],
    };
  }
}
