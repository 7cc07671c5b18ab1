import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DataController } from './inbound/data.controller.js';
import { IdsPipeline } from './inbound/ids-pipeline.service.js';
import { MessageHandlerRegistry } from './inbound/message-handler.registry.js';
import { IdsClient } from './outbound/ids.client.js';
import { MessageBuilder } from './messages/message.builder.js';
import { Clock } from '../common/clock.js';
import { CONNECTOR_CONFIG } from '../config/config.module.js';
import type { ConnectorConfig } from '../config/connector.config.js';

/** The IDS protocol machinery: inbound endpoint and pipeline, handler registry, outbound client. */
@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [DataController],
  providers: [
    MessageHandlerRegistry,
    IdsPipeline,
    IdsClient,
    // The one message builder, for our connector id and clock.
    { provide: MessageBuilder, inject: [CONNECTOR_CONFIG, Clock], useFactory: (c: ConnectorConfig, clock: Clock) => new MessageBuilder(c.connector.id, clock) },
  ],
  exports: [IdsClient, MessageBuilder],
})
export class IdsModule {}
