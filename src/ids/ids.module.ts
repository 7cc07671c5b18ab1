import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DataController } from './inbound/data.controller.js';
import { IdsPipeline } from './inbound/ids-pipeline.service.js';
import { MessageHandlerRegistry } from './inbound/message-handler.registry.js';
import { TransactionRecorder } from './inbound/transaction.recorder.js';
import { IdsClient } from './outbound/ids.client.js';

/** The IDS protocol machinery: inbound endpoint and pipeline, handler registry, outbound client. */
@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [DataController],
  providers: [MessageHandlerRegistry, IdsPipeline, TransactionRecorder, IdsClient],
  exports: [IdsClient, TransactionRecorder],
})
export class IdsModule {}
