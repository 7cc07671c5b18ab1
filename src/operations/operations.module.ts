import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BrokerModule } from '../broker/broker.module.js';
import { ConsumerModule } from '../consumer/consumer.module.js';
import { ContractsModule } from '../contracts/contracts.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { HealthController } from './health.controller.js';
import { HealthLogger } from './health.logger.js';
import { LiveController } from './live.controller.js';
import { LiveFeed } from './live.feed.js';
import { LiveSnapshotService } from './live.snapshot.js';
import { MetricsCollectors } from './metrics.collectors.js';
import { MetricsController } from './metrics.controller.js';
import { ReadinessChecks } from './readiness.checks.js';

/**
 * What an operator watches: liveness and readiness (`/health`, `/health/ready`), Prometheus metrics (`/metrics`)
 * and the live page (`/live` with its server-sent events). Reads the features; nothing depends on it.
 */
@Module({})
export class OperationsModule {
  /** `apps`: the data-app platform module the composition root built (its supervisor and outputs are shown). */
  static register(apps: DynamicModule): DynamicModule {
    return {
      module: OperationsModule,
      imports: [
        TerminusModule.forRoot({ errorLogStyle: 'json', logger: HealthLogger }),
        BrokerModule,
        ContractsModule,
        ConsumerModule,
        UsageModule,
        apps,
      ],
      controllers: [HealthController, MetricsController, LiveController],
      providers: [ReadinessChecks, MetricsCollectors, LiveSnapshotService, LiveFeed],
    };
  }
}
