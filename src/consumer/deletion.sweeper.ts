import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Scheduler, type Job } from '../runtime/scheduler.service.js';
import { consumerSettings, type ConsumerSettings } from './consumer.settings.js';
import { ConsumerService } from './consumer.service.js';

/** USAGE_UNTIL_DELETION on the consumer: every FEP_DELETION_SWEEP_MS, received data past its deadline is deleted. */
@Injectable()
export class DeletionSweeper implements OnModuleInit {
  private readonly logger = new Logger('Deletion');
  private job: Job | undefined;

  constructor(
    private readonly consumer: ConsumerService,
    private readonly scheduler: Scheduler,
    @Inject(consumerSettings.token) private readonly settings: ConsumerSettings,
  ) {}

  onModuleInit(): void {
    this.job = this.scheduler.schedule({
      name: 'Deletion',
      everyMs: this.settings.deletionSweepMs,
      atStart: false,
      run: async () => {
        const deleted = await this.consumer.deleteExpired();
        if (deleted > 0) this.logger.log(`deleted ${deleted} received artifact(s) at their deadline`);
      },
    });
  }

  /** One pass now (tests, and an operator who does not want to wait). */
  sweep(): Promise<void> {
    return this.job?.kick() ?? Promise.resolve();
  }
}
