import { Module } from '@nestjs/common';
import { IdsModule } from '../ids/ids.module.js';
import { ResourcesModule } from '../resources/resources.module.js';
import { RuntimeModule } from '../runtime/runtime.module.js';
import { BrokerController } from './broker.controller.js';
import { BrokerService } from './broker.service.js';
import { CatalogChangeSubscriber } from './catalog-change.subscriber.js';

/** Metadata Broker registration and queries. */
@Module({
  imports: [IdsModule, ResourcesModule, RuntimeModule],
  controllers: [BrokerController],
  providers: [BrokerService, CatalogChangeSubscriber],
  exports: [BrokerService],
})
export class BrokerModule {}
