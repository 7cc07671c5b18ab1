import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';

type Handler = (error: unknown) => void;

/**
 * Keeps a data app's own mistakes inside the app. Everything an app starts runs in an async context naming it
 * (timers, sockets and callbacks it creates inherit it), so an exception thrown in a callback the app did not guard
 * (a raw `setTimeout`, an emitter's unhandled `error`) is traced to the app: the app is failed and restarted, the
 * connector stays up. An exception outside any app keeps Node's default outcome: logged, and the process exits.
 */
@Injectable()
export class AppIsolation implements OnModuleInit, OnModuleDestroy {
  private readonly context = new AsyncLocalStorage<string>();
  private readonly handlers = new Map<string, Handler>();
  private readonly logger = new Logger('DataApps');
  private readonly listener = (error: unknown): void => this.uncaught(error);

  onModuleInit(): void {
    process.on('uncaughtException', this.listener);
  }

  onModuleDestroy(): void {
    process.off('uncaughtException', this.listener);
  }

  /** Runs `work` (an app's start) in the app's context; `onError` gets what escapes its callbacks later. */
  run<T>(app: string, onError: Handler, work: () => T): T {
    this.handlers.set(app, onError);
    return this.context.run(app, work);
  }

  private uncaught(error: unknown): void {
    const app = this.context.getStore();
    const handler = app === undefined ? undefined : this.handlers.get(app);
    if (handler !== undefined) {
      this.logger.error(`data app ${app}: uncaught ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      handler(error);
      return;
    }
    // Not an app's: with no one else listening, do what Node does without a listener.
    if (process.listenerCount('uncaughtException') === 1) {
      console.error(error);
      process.exit(1);
    }
  }
}
