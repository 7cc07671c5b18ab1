import { Module } from '@nestjs/common';
import { EventLoopMonitor } from './event-loop.monitor.js';
import { RuntimeController } from './runtime.controller.js';
import { Scheduler } from './scheduler.service.js';
import { WorkerPool } from './worker.pool.js';

/** Shared machinery for background work: the scheduler, the worker-thread pool, and the process's own status. */
@Module({
  controllers: [RuntimeController],
  providers: [Scheduler, WorkerPool, EventLoopMonitor],
  exports: [Scheduler, WorkerPool, EventLoopMonitor],
})
export class RuntimeModule {}
