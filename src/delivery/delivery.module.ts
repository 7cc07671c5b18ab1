import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClearingHouseModule } from '../clearing-house/clearing-house.module.js';
import { ConsumerModule } from '../consumer/consumer.module.js';
import { ContractsModule } from '../contracts/contracts.module.js';
import { ResourcesModule } from '../resources/resources.module.js';
import { RuntimeModule } from '../runtime/runtime.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { ChangeListeners } from './change.listeners.js';
import { ConsumerSubscriptionService } from './consumer-subscription.service.js';
import { IdsModule } from '../ids/ids.module.js';
import { DeliveryOutbox } from './delivery.outbox.js';
import { DeliveryRepository } from './delivery.repository.js';
import { DeliveryWorker } from './delivery.worker.js';
import { DeliveryEntity } from './entities/delivery.entity.js';
import { ReceivedNotificationEntity } from './entities/received-notification.entity.js';
import { SubscriptionEntity } from './entities/subscription.entity.js';
import { FetchHttpPoster, HttpPoster } from './http.poster.js';
import { IdsChannel } from './ids.channel.js';
import { NgsiLdChannel } from './ngsi-ld/ngsi-ld.channel.js';
import { ResourceUpdateHandler } from './resource-update.handler.js';
import { SubscriptionRequestHandler } from './subscription-request.handler.js';
import { SubscriberChecks } from './subscriber.checks.js';
import { SubscriptionService } from './subscription.service.js';
import { ConsumerSubscriptionsController, SubscriptionsController } from './subscriptions.controller.js';
import { WebhookChannel } from './webhook.channel.js';

/**
 * Results delivery: subscriptions on both sides (IDS, DSC-compatible), pushes under usage control, webhooks, the
 * NGSI-LD publisher, one durable ordered outbox for all of them.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([SubscriptionEntity, DeliveryEntity, ReceivedNotificationEntity]),
    IdsModule,
    ResourcesModule,
    ContractsModule,
    UsageModule,
    ConsumerModule,
    ClearingHouseModule,
    RuntimeModule,
  ],
  controllers: [SubscriptionsController, ConsumerSubscriptionsController],
  providers: [
    { provide: HttpPoster, useClass: FetchHttpPoster },
    DeliveryOutbox,
    DeliveryRepository,
    SubscriptionService,
    SubscriberChecks,
    ConsumerSubscriptionService,
    ChangeListeners,
    IdsChannel,
    WebhookChannel,
    NgsiLdChannel,
    DeliveryWorker,
    SubscriptionRequestHandler,
    ResourceUpdateHandler,
  ],
})
export class DeliveryModule {
  /** With the data-app platform as the application registers it (the same module instance, so one OutputStore). */
  static register(dataApps: DynamicModule): DynamicModule {
    return { module: DeliveryModule, imports: [dataApps] };
  }
}
