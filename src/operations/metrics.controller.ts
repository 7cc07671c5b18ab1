import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Metrics } from '../common/telemetry/metrics.js';

/** Prometheus scrape endpoint; admin credentials like the admin API (a scrape job takes `basic_auth`). */
@ApiTags('operations')
@ApiBasicAuth()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(Metrics) private readonly metrics: Metrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOperation({
    summary: 'Prometheus metrics: IDS messages, DAT refusals, policy decisions, outbox, broker, data apps, process',
  })
  render(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
