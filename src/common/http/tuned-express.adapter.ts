import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer as createHttpServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsOptions } from 'node:https';
import type { ServerSettings } from './server.settings.js';

/**
 * Nest's Express adapter with the server's timeouts set on purpose (Node's defaults let a client trickle
 * headers for a minute, and check for it only every 30 s). A client that is too slow to send its headers, or its
 * whole request, or that goes silent, is disconnected; keep-alive clients that send requests normally are not.
 */
export type ServerLimits = Pick<ServerSettings, 'headersTimeoutMs' | 'requestTimeoutMs' | 'idleTimeoutMs' | 'keepAliveTimeoutMs'>;

/** An HTTP(S) server for `app` with the limits above: the IDS port's, and the admin port's (FEP_ADMIN_PORT). */
export function createTunedServer(limits: ServerLimits, app: RequestListener, https?: HttpsOptions): Server {
  const tuning: ServerOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often the two timeouts above are checked: at most a second late.
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
  };
  const server = https ? createHttpsServer({ ...https, ...tuning }, app) : createHttpServer(tuning, app);
  server.setTimeout(limits.idleTimeoutMs, (socket) => socket.destroy());
  return server;
}

export class TunedExpressAdapter extends ExpressAdapter {
  constructor(private readonly limits: ServerLimits) {
    super();
  }

  override initHttpServer(options: NestApplicationOptions): void {
    this.httpServer = createTunedServer(this.limits, this.getInstance<RequestListener>(), options.httpsOptions);
  }
}
