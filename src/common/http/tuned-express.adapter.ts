import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer as createHttpServer, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { ServerSettings } from './server.settings.js';

/**
 * Nest's Express adapter with the server's timeouts set on purpose (Node's defaults let a client trickle
 * headers for a minute, and check for it only every 30 s). A client that is too slow to send its headers, or its
 * whole request, or that goes silent, is disconnected; keep-alive clients that send requests normally are not.
 */
export class TunedExpressAdapter extends ExpressAdapter {
  constructor(
    private readonly limits: Pick<ServerSettings, 'headersTimeoutMs' | 'requestTimeoutMs' | 'idleTimeoutMs' | 'keepAliveTimeoutMs'>,
  ) {
    super();
  }

  override initHttpServer(options: NestApplicationOptions): void {
    const tuning: ServerOptions = {
      headersTimeout: this.limits.headersTimeoutMs,
      requestTimeout: this.limits.requestTimeoutMs,
      keepAliveTimeout: this.limits.keepAliveTimeoutMs,
      // How often the two timeouts above are checked: at most a second late.
      connectionsCheckingInterval: Math.min(1000, this.limits.headersTimeoutMs),
    };
    const app = this.getInstance<(req: unknown, res: unknown) => void>();
    const server = options.httpsOptions ? createHttpsServer({ ...options.httpsOptions, ...tuning }, app) : createHttpServer(tuning, app);
    server.setTimeout(this.limits.idleTimeoutMs, (socket) => socket.destroy());
    this.httpServer = server;
  }
}
