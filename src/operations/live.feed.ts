import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deltaOf, type Json } from './live.delta.js';
import { LiveSnapshotService } from './live.snapshot.js';
import { liveSettings, type LiveSettings } from './live.settings.js';

/**
 * The live page's feed (server-sent events, WHATWG HTML "Server-sent events"): a page gets the whole snapshot once
 * (`snapshot`), then every FEP_LIVE_PUSH_MS what changed (`delta`, live.delta.ts), made once and written to every
 * open page, and only while a page is open. Sending the whole snapshot each time was about 85 KB/s per open page
 * on the demo node (168 KB every 2 s). Bounded three ways: at most
 * FEP_LIVE_MAX_CLIENTS pages; a page that leaves more than FEP_LIVE_MAX_BACKLOG_BYTES unread is closed (its browser
 * reconnects when it reads again); a tick while the last snapshot is still being made is skipped. Once, each page
 * had its own timer and snapshot, and Node kept whatever a page did not read: 500 pages that never read took the
 * heap to 2.38 GB in 2 minutes, and 300 that read cost half a core.
 */
@Injectable()
export class LiveFeed implements BeforeApplicationShutdown {
  private readonly logger = new Logger('LiveFeed');
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private making = false;
  /** The snapshot the open pages hold (the base of the next delta); forgotten when the last page leaves. */
  private last: { json: Json; text: string } | undefined;
  /** Snapshots made, pages closed for not reading, pages refused (for status and tests). */
  readonly stats = { snapshots: 0, closedSlow: 0, refused: 0, bytes: 0 };

  constructor(
    private readonly live: LiveSnapshotService,
    @Inject(liveSettings.token) private readonly settings: LiveSettings,
  ) {}

  get open(): number {
    return this.clients.size;
  }

  /** Serves one page's feed on Node's response; answers 503 when FEP_LIVE_MAX_CLIENTS pages are open. */
  attach(req: IncomingMessage, res: ServerResponse): void {
    if (this.clients.size >= this.settings.maxClients) {
      this.stats.refused++;
      const detail = `${this.settings.maxClients} live pages are open already (FEP_LIVE_MAX_CLIENTS)`;
      res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '30' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail, statusCode: 503, message: detail }));
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    this.clients.add(res);
    const gone = (): void => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stop();
    };
    req.once('close', gone);
    res.once('close', gone);
    res.on('error', () => undefined);
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.tick(), this.settings.pushMs);
      this.timer.unref();
    }
    // The page starts from the snapshot the others hold (the next delta is from it), or from the first one made.
    if (this.last !== undefined) this.write(res, `event: snapshot\ndata: ${this.last.text}\n\n`);
    else void this.tick();
  }

  beforeApplicationShutdown(): void {
    this.stop();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.last = undefined;
  }

  private async tick(): Promise<void> {
    if (this.making) return;
    this.making = true;
    let chunk: string | undefined;
    try {
      // The snapshot as JSON values (dates and class instances as the wire has them): one stringify, one parse.
      const text = JSON.stringify(await this.live.snapshot());
      const json = JSON.parse(text) as Json;
      this.stats.snapshots++;
      if (this.last === undefined) {
        chunk = `event: snapshot\ndata: ${text}\n\n`;
      } else {
        const delta = deltaOf(this.last.json, json);
        chunk = delta === undefined ? undefined : `event: delta\ndata: ${JSON.stringify(delta)}\n\n`;
      }
      if (this.clients.size > 0) this.last = { json, text };
    } catch (error) {
      this.logger.warn(`no snapshot: ${error instanceof Error ? error.message : String(error)}`);
      return;
    } finally {
      this.making = false;
    }
    if (chunk === undefined) return;
    for (const res of this.clients) this.write(res, chunk);
  }

  private write(res: ServerResponse, chunk: string): void {
    if (res.writableLength > this.settings.maxBacklogBytes) {
      // Not reading: closed rather than buffered (EventSource reconnects by itself once its page reads again, and
      // then starts from a whole snapshot).
      this.stats.closedSlow++;
      this.clients.delete(res);
      res.destroy();
      return;
    }
    this.stats.bytes += chunk.length;
    res.write(chunk);
  }
}
