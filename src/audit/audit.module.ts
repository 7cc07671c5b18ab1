import { Global, Module } from '@nestjs/common';
import { TransactionRecorder } from '../ids/inbound/transaction.recorder.js';
import { AuditController } from './audit.controller.js';
import { AuditRecorder } from './audit.recorder.js';
import { AuditRetention } from './audit.retention.js';

/** The local audit log of IDS exchanges; provides the IDS layer's TransactionRecorder seam. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [{ provide: TransactionRecorder, useClass: AuditRecorder }, AuditRetention],
  exports: [TransactionRecorder, AuditRetention],
})
export class AuditModule {}
