import { Injectable, Logger, type LoggerService } from '@nestjs/common';

/**
 * Terminus logs a failed check through its own ConsoleLogger (colour codes, not JSON); this routes it to the
 * connector's log instead, as a warning: a node that is not ready is a state to watch, not a crash.
 */
@Injectable()
export class HealthLogger implements LoggerService {
  private readonly logger = new Logger('Health');

  log(message: unknown): void {
    this.logger.log(message);
  }
  error(message: unknown): void {
    this.logger.warn(message);
  }
  warn(message: unknown): void {
    this.logger.warn(message);
  }
}
