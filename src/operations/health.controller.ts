import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../common/http/access.decorators.js';
import { ReadinessChecks } from './readiness.checks.js';

/**
 * Liveness and readiness for Docker's HEALTHCHECK, systemd or an orchestrator. Public (on both ports with
 * FEP_ADMIN_PORT): they reveal states, no data and no secrets.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: ReadinessChecks,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers HTTP (200)' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Public()
  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: database, DAT, broker registration, clearing-house outbox, data apps and the edge store, disk space',
    description:
      '503 when the database does not answer or no DAT can be had; `degraded` (200) for a broker not reached, a clearing-house backlog older than 5 minutes, a failed data app, an edge store that cannot write, a data directory with less than FEP_DISK_MIN_FREE_MB free, or an NGSI-LD broker or webhook that has let a delivery wait over FEP_DELIVERY_DEGRADED_AFTER_S.',
  })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.checks.database(),
      () => this.checks.dat(),
      () => this.checks.broker(),
      () => this.checks.clearingHouseOutbox(),
      () => this.checks.dataApps(),
      () => this.checks.disk(),
      () => this.checks.delivery(),
    ]);
  }
}
