import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
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

/** Answers a request itself, on Node's own request and response objects. */
export type FrontHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Routes answered before Express sees the request: the IDS endpoint, which partners call at the rate of the data and
 * which needs none of Express (no routing table, no request and response decoration, no middleware chain; in the
 * exchange profile they were a tenth of the CPU of a request). A route is one method and one exact path; its query
 * string is ignored, and every other spelling (a trailing slash, other case) still reaches Express's own route.
 */
export class FrontRoutes {
  private readonly routes = new Map<string, FrontHandler>();

  add(method: string, path: string, handler: FrontHandler): void {
    this.routes.set(`${method} ${path}`, handler);
  }

  /** The listener of a server: a front route, else `fallback` (the Express app). */
  listener(fallback: RequestListener): RequestListener {
    return (req, res) => {
      const url = req.url ?? '';
      const query = url.indexOf('?');
      const handler = this.routes.get(`${req.method} ${query < 0 ? url : url.slice(0, query)}`);
      if (handler === undefined) fallback(req, res);
      else handler(req, res);
    };
  }
}

export class TunedExpressAdapter extends ExpressAdapter {
  /** Served ahead of Express on every port of the app (the IDS port's server and the admin port's). */
  readonly front = new FrontRoutes();

  constructor(private readonly limits: ServerLimits) {
    super();
  }

  override initHttpServer(options: NestApplicationOptions): void {
    this.httpServer = createTunedServer(this.limits, this.front.listener(this.getInstance<RequestListener>()), options.httpsOptions);
  }
}
