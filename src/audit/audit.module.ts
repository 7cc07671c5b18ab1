import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TransactionRecorder } from '../ids/seams/transaction-recorder.seam.js';
import { RuntimeModule } from '../runtime/runtime.module.js';
import { AuditController } from './audit.controller.js';
import { AuditRecorder } from './audit.recorder.js';
import { AuditRetention } from './audit.retention.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';

/** The local audit log of IDS exchanges: implements the IDS core's TransactionRecorder seam, with retention. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity]), RuntimeModule],
  controllers: [AuditController],
  providers: [{ provide: TransactionRecorder, useClass: AuditRecorder }, AuditRetention],
  exports: [TransactionRecorder, AuditRetention],
})
export class AuditModule {}
