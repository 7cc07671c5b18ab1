import { Controller, Get, Post, HttpCode } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Inject } from '@nestjs/common';
import { clearingHouseSettings, type ClearingHouseSettings } from './clearing-house.settings.js';
import { ClearingHouseOutbox } from './clearing-house.outbox.js';
import { OutboxWorker } from './outbox.worker.js';

/** The outbox as operators see it: how much is waiting, since when, and the last error. */
@ApiTags('clearing house')
@ApiBasicAuth()
@Controller('api/clearing-house')
export class ClearingHouseController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly worker: OutboxWorker,
    @Inject(clearingHouseSettings.token) private readonly clearingHouse: ClearingHouseSettings,
  ) {}

  @ApiOperation({ summary: 'Clearing-house outbox: queue depth, oldest undelivered record, last error' })
  @Get('status')
  async status(): Promise<Record<string, unknown>> {
    const stats = await ClearingHouseOutbox.stats(this.dataSource.manager);
    return {
      url: this.clearingHouse.url ?? null,
      enabled: this.clearingHouse.url !== undefined,
      queueDepth: stats.depth,
      oldestUndelivered: stats.oldest,
      lastError: stats.lastError,
      delivered: stats.delivered,
      lastDelivered: stats.lastDelivered,
    };
  }

  /** Tries the due records now instead of at the next poll. */
  @Post('flush')
  @HttpCode(202)
  async flush(): Promise<Record<string, unknown>> {
    await this.worker.kick();
    return this.status();
  }
}
