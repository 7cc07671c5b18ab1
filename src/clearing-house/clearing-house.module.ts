import { Global, Module } from '@nestjs/common';
import { ClearingHouseController } from './clearing-house.controller.js';
import { ClearingHouseOutbox } from './clearing-house.outbox.js';
import { OutboxWorker } from './outbox.worker.js';

/** Clearing House logging through a durable outbox; the outbox is global so every feature can record. */
@Global()
@Module({
  controllers: [ClearingHouseController],
  providers: [ClearingHouseOutbox, OutboxWorker],
  exports: [ClearingHouseOutbox],
})
export class ClearingHouseModule {}
