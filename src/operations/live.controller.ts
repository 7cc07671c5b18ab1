import {
  Controller,
  Get,
  Header,
  NotFoundException,
  Param,
  Sse,
  StreamableFile,
  type BeforeApplicationShutdown,
  type MessageEvent,
} from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { exhaustMap, from, map, Subject, takeUntil, timer, type Observable } from 'rxjs';
import { staticResource } from '../common/project-root.js';
import { LiveSnapshotService, type LiveSnapshot } from './live.snapshot.js';

/** How often the page gets a new snapshot. */
const PUSH_EVERY_MS = 2000;

interface Asset {
  type: string;
  body: Buffer;
}

/** The page's files, read once: its own (resources/live/) and uPlot's, served from the package, never a CDN. */
function loadAssets(): Record<string, Asset> {
  const uplot = join(dirname(createRequire(import.meta.url).resolve('uplot')), '..', 'dist');
  const own = (name: string): Buffer => readFileSync(staticResource('live', name));
  return {
    'index.html': { type: 'text/html; charset=utf-8', body: own('index.html') },
    'live.js': { type: 'text/javascript; charset=utf-8', body: own('live.js') },
    'live.css': { type: 'text/css; charset=utf-8', body: own('live.css') },
    'uplot.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(uplot, 'uPlot.iife.min.js')) },
    'uplot.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(uplot, 'uPlot.min.css')) },
  };
}

/**
 * The live page an operator keeps open: identity and DAPS, broker and clearing house, recent exchanges,
 * agreements with their uses, transfers, and the data apps' panels, pushed as server-sent events. Admin
 * credentials (the browser asks for them once; EventSource then sends them with every request to the origin).
 */
@ApiTags('operations')
@ApiBasicAuth()
@Controller()
export class LiveController implements BeforeApplicationShutdown {
  private readonly assets = loadAssets();
  private readonly closing = new Subject<void>();

  constructor(private readonly live: LiveSnapshotService) {}

  @Get('live')
  @Header('cache-control', 'no-store')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'The live page (HTML): node state, exchanges, agreements, data-app plots' })
  page(): StreamableFile {
    const page = this.assets['index.html'];
    return new StreamableFile(page.body, { type: page.type });
  }

  @Get('live/assets/:file')
  @ApiOperation({ summary: 'The live page’s scripts and styles (uPlot served from the package)' })
  asset(@Param('file') file: string): StreamableFile {
    const asset = Object.hasOwn(this.assets, file) && file !== 'index.html' ? this.assets[file] : undefined;
    if (asset === undefined) throw new NotFoundException(`no live-page asset ${file}`);
    return new StreamableFile(asset.body, { type: asset.type });
  }

  @Get('api/live/snapshot')
  @ApiOperation({ summary: 'What the live page shows, as JSON' })
  snapshot(): Promise<LiveSnapshot> {
    return this.live.snapshot();
  }

  @Sse('api/live/events')
  @ApiOperation({ summary: 'The live page’s feed: a `snapshot` server-sent event every 2 s' })
  events(): Observable<MessageEvent> {
    return timer(0, PUSH_EVERY_MS).pipe(
      takeUntil(this.closing),
      // A tick while the last snapshot is still being read is skipped, never queued.
      exhaustMap(() => from(this.live.snapshot())),
      map((data) => ({ type: 'snapshot', data })),
    );
  }

  /** Open event streams end, so that the server can close. */
  beforeApplicationShutdown(): void {
    this.closing.next();
    this.closing.complete();
  }
}
