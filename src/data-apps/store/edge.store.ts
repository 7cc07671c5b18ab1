import { Logger } from '@nestjs/common';
import { mkdir, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { In, LessThan, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { ConnectorError } from '../../common/connector.error.js';
import type { Page } from '../../common/page.js';
import { inTransaction, write } from '../../database/transaction.runner.js';
import type { EncodedWindow } from '../data-app.contract.js';
import { EdgeSegmentEntity } from '../entities/edge-segment.entity.js';
import { EdgeWindowEntity } from '../entities/edge-window.entity.js';
import { decodeFrame, validPrefix, type WindowFrame } from './window-frame.codec.js';

export interface EdgeStoreOptions {
  dir: string;
  maxBytes: number;
  rawMs: number;
  indicatorMs: number;
  segmentBytes: number;
}

export interface WindowQuery {
  asset?: string;
  channel?: string;
  /** ms since the epoch, inclusive. */
  fromMs?: number;
  toMs?: number;
  page: number;
  size: number;
}

interface OpenSegment {
  row: EdgeSegmentEntity;
  handle: FileHandle;
}

const ROWS_PER_INSERT = 50;
/** Windows queued per app at most while the store cannot write (the oldest are dropped, counted). */
const MAX_QUEUED = 10_000;

/** Whether raw windows reach the disk: shown per app, in readiness and in metrics. */
export interface EdgeStoreState {
  state: 'ok' | 'failing';
  /** The last write failure (cleared by the next batch written). */
  lastError: string | null;
  failingSince: string | null;
  /** Windows waiting for the next batch, over all apps. */
  queued: number;
  /** Windows dropped unwritten since start (the queue was full while writes failed, or the node stopped). */
  dropped: number;
}

/**
 * The edge store for KHz data: raw windows as frames appended to segment files (one open segment per app), their
 * indicators as rows. A batch is written to the segment and synced before its rows commit together with the
 * segment's new length, so the database never points at bytes that are not on disk; on start each segment is cut
 * back to its committed length (a batch written but not committed is dropped whole), and a torn committed tail
 * (a disk that lied about the sync) loses only the frames after it. Retention removes whole segments (by age and
 * by total size) and indicator rows by age.
 */
export class EdgeStore {
  private readonly pending = new Map<string, EncodedWindow[]>();
  private readonly open = new Map<string, OpenSegment>();
  private readonly logger = new Logger('EdgeStore');
  private flushing: Promise<void> = Promise.resolve();
  private recovered = false;
  private failure: { error: string; since: string } | undefined;
  /** Windows stored and batches written since start (for status and the benchmark). */
  readonly stats = { windows: 0, batches: 0, bytes: 0, dropped: 0 };

  constructor(
    private readonly manager: EntityManager,
    private readonly options: EdgeStoreOptions,
    private readonly clock: Clock,
    /** Closes the database when the store owns it. */
    private readonly release?: () => Promise<void>,
  ) {}

  /** Queues a window; it is written with the next batch. */
  add(app: string, window: EncodedWindow): void {
    const queue = this.pending.get(app) ?? [];
    // Bounded: a store that cannot write (disk full) drops the oldest windows rather than the process's memory.
    if (queue.length >= MAX_QUEUED) {
      queue.shift();
      this.stats.dropped++;
    }
    queue.push(window);
    this.pending.set(app, queue);
  }

  /** Where the store stands. */
  get state(): EdgeStoreState {
    let queued = 0;
    for (const queue of this.pending.values()) queued += queue.length;
    return {
      state: this.failure === undefined ? 'ok' : 'failing',
      lastError: this.failure?.error ?? null,
      failingSince: this.failure?.since ?? null,
      queued,
      dropped: this.stats.dropped,
    };
  }

  /**
   * Writes every queued window (one batch per app); one flush at a time. A failed flush is the store's state until a
   * later one succeeds: every flush tries again (a failure once stayed the answer of every later flush, without a
   * write, until a restart, while the app said `running` and readiness `ok`).
   */
  flush(): Promise<void> {
    const next = this.flushing.catch(() => undefined).then(() => this.flushAll());
    this.flushing = next;
    return next.then(
      () => {
        if (this.failure !== undefined) this.logger.log(`writing again after: ${this.failure.error}`);
        this.failure = undefined;
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (this.failure === undefined) this.logger.error(`raw windows are not written: ${message}`);
        this.failure = { error: message, since: this.failure?.since ?? this.clock.now().toISOString() };
        throw error;
      },
    );
  }

  /** Flushes and closes the open segment files (at shutdown, after the apps stopped). */
  async close(): Promise<void> {
    await this.flush().catch((error: unknown) => {
      const left = this.state.queued;
      this.stats.dropped += left;
      this.logger.error(`${left} queued windows were not written at shutdown: ${error instanceof Error ? error.message : String(error)}`);
    });
    for (const segment of this.open.values()) await segment.handle.close().catch(() => undefined);
    this.open.clear();
    await this.release?.();
  }

  private async flushAll(): Promise<void> {
    if (!this.recovered) await this.recover();
    for (const [app, queue] of this.pending) {
      if (queue.length === 0) continue;
      const batch = queue.splice(0, queue.length);
      try {
        await this.writeBatch(app, batch);
      } catch (error) {
        queue.unshift(...batch);
        throw error;
      }
    }
  }

  private async writeBatch(app: string, batch: EncodedWindow[]): Promise<void> {
    const bytes = batch.reduce((n, w) => n + w.frame.length, 0);
    let segment = this.open.get(app);
    if (segment !== undefined && segment.row.bytes > 0 && segment.row.bytes + bytes > this.options.segmentBytes) {
      await segment.handle.close();
      this.open.delete(app);
      segment = undefined;
    }
    segment ??= await this.newSegment(app);
    const start = segment.row.bytes;
    const data = Buffer.concat(batch.map((w) => w.frame));
    try {
      await writeAll(segment.handle, data, start);
      await segment.handle.datasync();
    } catch (error) {
      // A partial write past the committed length is overwritten by the next batch (positional writes).
      throw new Error(`edge store: writing ${this.file(segment.row)} failed: ${(error as Error).message}`, { cause: error });
    }
    let offset = start;
    const rows = batch.map((w) => {
      const row: Omit<EdgeWindowEntity, 'id'> = {
        app,
        asset: w.asset,
        channel: w.channel,
        startMs: Math.round(w.startMs),
        at: new Date(w.startMs).toISOString(),
        samples: w.samples,
        sampleRate: w.sampleRateHz,
        missing: w.missing,
        indicators: JSON.stringify(w.indicators),
        segmentId: segment.row.id,
        frameOffset: offset,
        frameLength: w.frame.length,
      };
      offset += w.frame.length;
      return row;
    });
    const first = Math.min(...batch.map((w) => w.startMs));
    const last = Math.max(...batch.map((w) => w.startMs));
    const row = segment.row;
    const updated = { ...row, bytes: offset, firstMs: Math.round(row.firstMs ?? first), lastMs: Math.round(Math.max(row.lastMs ?? last, last)) };
    await inTransaction(this.manager, async (m) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await m.createQueryBuilder().insert().into(EdgeWindowEntity).values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
      }
      await m.update(EdgeSegmentEntity, { id: row.id }, { bytes: updated.bytes, firstMs: updated.firstMs, lastMs: updated.lastMs });
    });
    segment.row = updated;
    this.stats.windows += batch.length;
    this.stats.batches++;
    this.stats.bytes += data.length;
  }

  private async newSegment(app: string): Promise<OpenSegment> {
    await mkdir(join(this.options.dir, app), { recursive: true });
    const row = await write(this.manager, (m) =>
      m.save(EdgeSegmentEntity, m.create(EdgeSegmentEntity, { app, file: '', bytes: 0, firstMs: null, lastMs: null, created: this.clock.now().toISOString() })),
    );
    row.file = `${app}/${String(row.id).padStart(8, '0')}.seg`;
    await write(this.manager, (m) => m.update(EdgeSegmentEntity, { id: row.id }, { file: row.file }));
    const handle = await open(this.file(row), 'w+');
    const segment = { row, handle };
    this.open.set(app, segment);
    return segment;
  }

  /** Cuts every segment back to what committed rows cover (once, before the first write). */
  private async recover(): Promise<void> {
    this.recovered = true;
    const segments = await this.manager.find(EdgeSegmentEntity, { order: { id: 'ASC' } });
    for (const row of segments) {
      const path = this.file(row);
      const size = await stat(path).then(
        (s) => s.size,
        () => -1,
      );
      if (size === row.bytes) continue;
      if (size > row.bytes) {
        const handle = await open(path, 'r+');
        await handle.truncate(row.bytes);
        await handle.close();
        this.logger.warn(`${row.file}: dropped ${size - row.bytes} bytes of a batch that was not committed`);
        continue;
      }
      // Shorter than committed (or gone): keep the whole frames that are there, unlink the rows beyond.
      const kept = size <= 0 ? 0 : validPrefix(await readAll(path));
      await inTransaction(this.manager, async (m) => {
        await m
          .createQueryBuilder()
          .update(EdgeWindowEntity)
          .set({ segmentId: null, frameOffset: null, frameLength: null })
          .where('segment_id = :id AND frame_offset + frame_length > :kept', { id: row.id, kept })
          .execute();
        await m.update(EdgeSegmentEntity, { id: row.id }, { bytes: kept });
      });
      this.logger.warn(`${row.file}: ${row.bytes - kept} committed bytes were missing on disk; their windows keep indicators only`);
    }
  }

  /** One retention pass: raw bytes by age and total size, indicator rows by age. */
  async retain(): Promise<{ segments: number; rows: number }> {
    const now = this.clock.now().getTime();
    const segments = await this.manager.find(EdgeSegmentEntity, { order: { id: 'ASC' } });
    const current = new Set([...this.open.values()].map((s) => s.row.id));
    let total = segments.reduce((n, s) => n + s.bytes, 0);
    const doomed: EdgeSegmentEntity[] = [];
    for (const s of segments) {
      if (current.has(s.id) && s.lastMs !== null && s.lastMs >= now - this.options.rawMs) continue;
      const old = s.lastMs === null ? s.bytes === 0 && !current.has(s.id) : s.lastMs < now - this.options.rawMs;
      if (old || total > this.options.maxBytes) {
        doomed.push(s);
        total -= s.bytes;
      }
    }
    for (const s of doomed) {
      const open = [...this.open.entries()].find(([, o]) => o.row.id === s.id);
      if (open !== undefined) {
        await open[1].handle.close();
        this.open.delete(open[0]);
      }
    }
    if (doomed.length > 0) {
      const ids = doomed.map((s) => s.id);
      await inTransaction(this.manager, async (m) => {
        await m.update(EdgeWindowEntity, { segmentId: In(ids) }, { segmentId: null, frameOffset: null, frameLength: null });
        await m.delete(EdgeSegmentEntity, { id: In(ids) });
      });
      for (const s of doomed) await rm(this.file(s), { force: true });
    }
    const cut = now - this.options.indicatorMs;
    const removed = await write(this.manager, (m) => m.delete(EdgeWindowEntity, { startMs: LessThan(cut) }));
    return { segments: doomed.length, rows: removed.affected ?? 0 };
  }

  async bytesStored(): Promise<number> {
    const row = await this.manager.createQueryBuilder(EdgeSegmentEntity, 's').select('COALESCE(SUM(s.bytes), 0)', 'total').getRawOne<{ total: string | number }>();
    return Number(row?.total ?? 0);
  }

  async windows(app: string, q: WindowQuery): Promise<Page<EdgeWindowEntity>> {
    const query = this.manager
      .createQueryBuilder(EdgeWindowEntity, 'w')
      .where('w.app = :app', { app })
      .orderBy('w.start_ms', 'ASC')
      .addOrderBy('w.id', 'ASC')
      .skip(q.page * q.size)
      .take(q.size);
    if (q.asset !== undefined) query.andWhere('w.asset = :asset', { asset: q.asset });
    if (q.channel !== undefined) query.andWhere('w.channel = :channel', { channel: q.channel });
    if (q.fromMs !== undefined) query.andWhere('w.start_ms >= :from', { from: q.fromMs });
    if (q.toMs !== undefined) query.andWhere('w.start_ms <= :to', { to: q.toMs });
    const [items, total] = await query.getManyAndCount();
    return { items, page: q.page, size: q.size, total };
  }

  /** A window's raw samples, decoded (physical value = sample x scale). */
  async samples(app: string, id: number): Promise<WindowFrame> {
    const row = await this.manager.findOneBy(EdgeWindowEntity, { app, id });
    if (row === null) throw ConnectorError.notFound('window', String(id));
    if (row.segmentId === null || row.frameOffset === null || row.frameLength === null) {
      throw new ConnectorError('NOT_FOUND', `window ${id}: its raw samples are past retention (FEP_EDGE_RAW_HOURS, FEP_EDGE_MAX_BYTES); its indicators remain`);
    }
    const segment = await this.manager.findOneByOrFail(EdgeSegmentEntity, { id: row.segmentId });
    const lost = (): ConnectorError =>
      new ConnectorError('NOT_FOUND', `window ${id}: its raw samples are not on disk (lost with the disk); its indicators remain`);
    const handle = await open(this.file(segment), 'r').catch(() => {
      throw lost();
    });
    try {
      const buffer = Buffer.alloc(row.frameLength);
      const { bytesRead } = await handle.read(buffer, 0, row.frameLength, row.frameOffset);
      if (bytesRead !== row.frameLength) throw lost();
      try {
        return decodeFrame(buffer);
      } catch {
        throw lost();
      }
    } finally {
      await handle.close();
    }
  }

  private file(row: EdgeSegmentEntity): string {
    return join(this.options.dir, row.file);
  }
}

/**
 * Writes all of `data` at `position`: a write may take fewer bytes than given (a disk that fills mid-write), and an
 * index that committed bytes the segment does not hold answered 500 for those windows until a restart cut them back.
 */
async function writeAll(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    if (bytesWritten <= 0) throw new Error(`a short write: ${done} of ${data.length} bytes reached the disk`);
    done += bytesWritten;
  }
}

async function readAll(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
