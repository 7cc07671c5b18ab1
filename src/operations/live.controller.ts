import { Controller, Get, Header, NotFoundException, Param, Req, Res, StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBasicAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { staticResource } from '../common/project-root.js';
import { LiveFeed } from './live.feed.js';
import { LiveSnapshotService, type LiveSnapshot } from './live.snapshot.js';

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
export class LiveController {
  private readonly assets = loadAssets();

  constructor(
    private readonly live: LiveSnapshotService,
    private readonly feed: LiveFeed,
  ) {}

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

  @Get('api/live/events')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'The live page’s feed: a `snapshot` server-sent event every FEP_LIVE_PUSH_MS (2 s)',
    description:
      'One snapshot for all open pages; at most FEP_LIVE_MAX_CLIENTS pages (503 beyond); a page that leaves FEP_LIVE_MAX_BACKLOG_BYTES unread is closed (EventSource reconnects).',
  })
  events(@Req() req: Request, @Res() res: Response): void {
    this.feed.attach(req, res);
  }
}
