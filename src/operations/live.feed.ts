import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LiveSnapshotService } from './live.snapshot.js';
import { liveSettings, type LiveSettings } from './live.settings.js';

/**
 * The live page's feed (server-sent events, WHATWG HTML "Server-sent events"): one snapshot every FEP_LIVE_PUSH_MS,
 * made once and written to every open page, and only while a page is open. Bounded three ways: at most
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
  /** Snapshots made, pages closed for not reading, pages refused (for status and tests). */
  readonly stats = { snapshots: 0, closedSlow: 0, refused: 0 };

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
    // The first snapshot now, for this page only if one is being made for the others.
    void this.tick(res);
  }

  beforeApplicationShutdown(): void {
    this.stop();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(only?: ServerResponse): Promise<void> {
    if (this.making) return;
    this.making = true;
    let chunk: string;
    try {
      chunk = `event: snapshot\ndata: ${JSON.stringify(await this.live.snapshot())}\n\n`;
      this.stats.snapshots++;
    } catch (error) {
      this.logger.warn(`no snapshot: ${error instanceof Error ? error.message : String(error)}`);
      return;
    } finally {
      this.making = false;
    }
    for (const res of only === undefined ? this.clients : [only]) {
      if (res.writableLength > this.settings.maxBacklogBytes) {
        // Not reading: closed rather than buffered (EventSource reconnects by itself once its page reads again).
        this.stats.closedSlow++;
        this.clients.delete(res);
        res.destroy();
        continue;
      }
      res.write(chunk);
    }
  }
}
