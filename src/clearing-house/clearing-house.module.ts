import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdsModule } from '../ids/ids.module.js';
import { RuntimeModule } from '../runtime/runtime.module.js';
import { ClearingHouseController } from './clearing-house.controller.js';
import { ClearingHouseOutbox } from './clearing-house.outbox.js';
import { OutboxRecordEntity } from './entities/outbox-record.entity.js';
import { EvidenceUnit } from './evidence.unit.js';
import { OutboxWorker } from './outbox.worker.js';

/** Clearing House logging through a durable outbox, and the unit of work that writes evidence with its action. */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxRecordEntity]), IdsModule, RuntimeModule],
  controllers: [ClearingHouseController],
  providers: [ClearingHouseOutbox, OutboxWorker, EvidenceUnit],
  exports: [ClearingHouseOutbox, EvidenceUnit],
})
export class ClearingHouseModule {}
