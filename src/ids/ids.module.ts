import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Clock } from '../common/clock.js';
import { connectorSettings, type ConnectorSettings } from './connector.settings.js';
import { DataController } from './inbound/data.controller.js';
import { IdsPipeline } from './inbound/ids-pipeline.service.js';
import { MessageHandlerRegistry } from './inbound/message-handler.registry.js';
import { MessageBuilder } from './messages/message.builder.js';
import { IdsClient } from './outbound/ids.client.js';

/**
 * The IDS protocol machinery: the inbound endpoint and pipeline, the handler registry (handlers live in the
 * features and are found by decorator), the outbound client and the one message builder. Its seams come from
 * IdsSeamsModule; features import this module to send messages.
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [DataController],
  providers: [
    MessageHandlerRegistry,
    IdsPipeline,
    IdsClient,
    {
      provide: MessageBuilder,
      inject: [connectorSettings.token, Clock],
      useFactory: (c: ConnectorSettings, clock: Clock) => new MessageBuilder(c.id, clock),
    },
  ],
  exports: [IdsClient, MessageBuilder],
})
export class IdsModule {}
