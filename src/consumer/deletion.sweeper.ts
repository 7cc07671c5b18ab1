import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { CONNECTOR_CONFIG } from '../config/config.module.js';
import type { ConnectorConfig } from '../config/connector.config.js';
import { ConsumerService } from './consumer.service.js';

/** USAGE_UNTIL_DELETION on the consumer: every FEP_DELETION_SWEEP_MS, received data past its deadline is deleted. */
@Injectable()
export class DeletionSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Deletion');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly consumer: ConsumerService,
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.usage.deletionSweepMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; overlapping passes are chained, errors are logged and retried next time. */
  sweep(): Promise<unknown> {
    this.running = this.running.then(() =>
      this.consumer.deleteExpired().catch((error: unknown) => this.logger.error(`deletion sweep failed: ${error instanceof Error ? error.message : String(error)}`)),
    );
    return this.running;
  }
}
