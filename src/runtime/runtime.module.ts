import { Module } from '@nestjs/common';
import { Scheduler } from './scheduler.service.js';
import { WorkerPool } from './worker.pool.js';

/** Shared machinery for background work: the scheduler and the worker-thread pool. */
@Module({
  providers: [Scheduler, WorkerPool],
  exports: [Scheduler, WorkerPool],
})
export class RuntimeModule {}
