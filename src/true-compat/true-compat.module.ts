import { Module } from '@nestjs/common';
import { BrokerModule } from '../broker/broker.module.js';
import { ConsumerModule } from '../consumer/consumer.module.js';
import { IdsModule } from '../ids/ids.module.js';
import { ResourcesModule } from '../resources/resources.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { TrueGatewayController } from './gateway/true-gateway.controller.js';
import { TrueGatewayGuard } from './gateway/true-gateway.guard.js';
import { TrueManagementController } from './management/true-management.controller.js';
import { TrueManagementService } from './management/true-management.service.js';
import { PlatoonAccessGuard } from './platoon/platoon-access.guard.js';
import { PlatoonUcController } from './platoon/platoon-uc.controller.js';
import { ProxyController } from './proxy/proxy.controller.js';
import { TrueProxyService } from './proxy/true-proxy.service.js';
import { SelfRegistrationController } from './self-registration/self-registration.controller.js';

/**
 * Every TRUE Connector adapter, on top of the core (which works without it): the self-description management
 * paths, the data-app gateway (`/proxy`, `/incoming-data-app/*`) with its own user, the Platoon usage-control
 * API, self-registration at the broker, and TRUE's rejection-to-status table.
 */
@Module({
  imports: [IdsModule, ResourcesModule, UsageModule, ConsumerModule, BrokerModule],
  controllers: [TrueManagementController, ProxyController, TrueGatewayController, PlatoonUcController, SelfRegistrationController],
  providers: [TrueManagementService, TrueProxyService, TrueGatewayGuard, PlatoonAccessGuard],
})
export class TrueCompatModule {}
