import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventLoopMonitor, type EventLoopDelay } from './event-loop.monitor.js';
import { Scheduler, type JobStatus } from './scheduler.service.js';

interface RuntimeStatus {
  uptimeSeconds: number;
  memory: { rssBytes: number; heapUsedBytes: number; externalBytes: number };
  eventLoopDelay: EventLoopDelay;
  jobs: JobStatus[];
}

/** The process as an edge operator watches it: memory, event-loop delay, background jobs. */
@ApiTags('operations')
@ApiBasicAuth()
@Controller('api/runtime')
export class RuntimeController {
  constructor(
    private readonly loop: EventLoopMonitor,
    private readonly scheduler: Scheduler,
  ) {}

  @ApiOperation({ summary: 'The process: memory, event-loop delay, background jobs' })
  @Get()
  status(): RuntimeStatus {
    const m = process.memoryUsage();
    return {
      uptimeSeconds: Math.round(process.uptime()),
      memory: { rssBytes: m.rss, heapUsedBytes: m.heapUsed, externalBytes: m.external },
      eventLoopDelay: this.loop.delay(),
      jobs: this.scheduler.status(),
    };
  }

  @Post('event-loop/reset')
  @HttpCode(204)
  @ApiOperation({ summary: 'Starts a new measurement of the event-loop delay' })
  reset(): void {
    this.loop.reset();
  }
}
