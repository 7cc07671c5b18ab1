import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A plain HTTP server on 127.0.0.1 that records what it is sent: a webhook receiver (an HVAC controller, a
 * maintenance system). It can be stopped and started again on its port, or made to answer with an error.
 */
export class HttpReceiver {
  readonly received: Received[] = [];
  /** Answered instead of 204 while set (a receiver that is up but failing). */
  failWith: number | undefined;
  private server: Server | undefined;

  constructor(public port = 0) {}

  static async start(): Promise<HttpReceiver> {
    const receiver = new HttpReceiver();
    await receiver.start();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Bodies received on a path, parsed. */
  json(path?: string): Record<string, any>[] {
    return this.received.filter((r) => path === undefined || r.path === path).map((r) => JSON.parse(r.body) as Record<string, any>);
  }

  protected answer(_request: Received, res: ServerResponse): void {
    res.writeHead(this.failWith ?? 204).end();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    if (this.failWith === undefined) this.received.push(request);
    this.answer(request, res);
  }
}
