import { Module } from '@nestjs/common';
import { ResourcesModule } from '../resources/resources.module.js';
import { BrokerController, SelfRegistrationController } from './broker.controller.js';
import { BrokerService } from './broker.service.js';
import { CatalogChangeSubscriber } from './catalog-change.subscriber.js';

/** Metadata Broker registration and queries. */
@Module({
  imports: [ResourcesModule],
  controllers: [BrokerController, SelfRegistrationController],
  providers: [BrokerService, CatalogChangeSubscriber],
})
export class BrokerModule {}
