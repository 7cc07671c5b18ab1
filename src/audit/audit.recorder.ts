import { Inject, Injectable, Logger } from '@nestjs/common';
import { insertStatement } from '../database/raw.statements.js';
import { PendingRows, WriteBatcher, type RowTable } from '../database/write.batcher.js';
import { Clock } from '../common/clock.js';
import { Metrics } from '../common/telemetry/metrics.js';
import { asText, reference } from '../ids/infomodel/jsonld.reader.js';
import { TransactionRecorder, type ExchangeRows, type TransactionRecord } from '../ids/seams/transaction-recorder.seam.js';
import { LogBudget } from '../common/logging/log.budget.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';
import { datCheckLabel, exchangeLabels, preDeclared } from './exchange.labels.js';

/** Access lines of unauthenticated inbound messages: at most this many per window (the rest are counted). */
const UNAUTHENTICATED_LINES = 20;
const UNAUTHENTICATED_WINDOW_MS = 10_000;
/** Longest sender-chosen string an access line repeats. */
const ECHO_CHARS = 256;
const echo = (value: string | undefined): string | undefined => (value === undefined ? undefined : value.slice(0, ECHO_CHARS));

/** Audit rows, many at once: one INSERT, nothing read back (the `seq` is the table's). */
const AUDIT_ROWS: RowTable<Partial<AuditEventEntity>> = {
  statement: (manager, rows) => insertStatement(manager, AuditEventEntity, rows),
};

/**
 * Where every IDS exchange ends up: the local audit log (one row per exchange, group-committed: concurrent
 * exchanges' rows share a transaction), the exchange metrics, and one access line in the log. Best effort: a
 * failed audit write is logged, never fatal, unless the exchange's own rows (its use) were to go with it: those
 * commit in the audit row's transaction, so the exchange's use and its audit row are on disk together or not at all,
 * and a failure rejects (the pipeline then answers with a rejection, and audits that).
 */
@Injectable()
export class AuditRecorder extends TransactionRecorder {
  private readonly logger = new Logger('Audit');
  private readonly access = new Logger('Access');
  private readonly unauthenticatedLines: LogBudget;

  constructor(
    private readonly batcher: WriteBatcher,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    super();
    const declared = preDeclared();
    for (const labels of declared.exchanges) metrics.declareExchange(labels);
    for (const check of declared.checks) metrics.declareDatCheck(check);
    this.unauthenticatedLines = new LogBudget(
      UNAUTHENTICATED_LINES,
      UNAUTHENTICATED_WINDOW_MS,
      () => this.clock.now().getTime(),
      (count, windowMs) =>
        this.access.warn({
          msg: `${count} more unauthenticated inbound messages refused in ${windowMs / 1000} s (not logged one by one)`,
          suppressed: count,
        }),
    );
  }

  rows(): ExchangeRows {
    return new PendingRows();
  }

  async record(entry: TransactionRecord): Promise<void> {
    const header = entry.request;
    const messageId = header['@id'];
    const contract = reference(header['ids:transferContract'] ?? header['transferContract']);
    const type = asText(header['@type'] ?? 'unknown').slice(0, 128);
    const row: Partial<AuditEventEntity> = {
      at: this.clock.now().toISOString(),
      direction: entry.direction,
      messageType: type,
      messageId: typeof messageId === 'string' ? messageId.slice(0, 512) : null,
      peer: entry.peer?.slice(0, 1024) ?? null,
      replyType: entry.replyType ?? null,
      outcome: entry.outcome ?? null,
      transport: entry.transport,
      transferContract: contract?.slice(0, 512) ?? null,
    };
    const pending = entry.rows instanceof PendingRows && entry.rows.size > 0 ? entry.rows : undefined;
    const written =
      pending === undefined
        ? this.batcher.append(AUDIT_ROWS, row)
        : this.batcher.rows((rows) => {
            pending.into(rows);
            rows.append(AUDIT_ROWS, row);
          });
    await written.then(
      () => pending?.settle(true),
      (error: unknown) => {
        this.logger.error(`audit record not written: ${error instanceof Error ? error.message : String(error)}`);
        if (pending === undefined) return;
        pending.settle(false);
        throw error;
      },
    );
    // After the write: an exchange whose use could not be written is observed once, as the rejection it became.
    // On the next turn of the event loop: the reply's bytes leave first (the metrics and the JSON access line were
    // about a tenth of an exchange's latency at one request in flight).
    setImmediate(() => this.observe(entry, type, typeof messageId === 'string' ? messageId : undefined));
  }

  /**
   * The metrics and the access line of one exchange (rejection reasons by their code; DAT refusals by check). Every
   * label comes from a closed set; the lines of unauthenticated senders are rate-bounded and echo at most
   * ECHO_CHARS of anything they chose.
   */
  private observe(entry: TransactionRecord, type: string, messageId: string | undefined): void {
    const labels = exchangeLabels(entry, type);
    this.metrics.exchange({ ...labels, ...(entry.durationMs === undefined ? {} : { seconds: entry.durationMs / 1000 }) });
    if (entry.direction === 'inbound' && entry.failure?.code === 'NOT_AUTHENTICATED') {
      this.metrics.datRefused(datCheckLabel(entry.failure.field));
    }
    const unauthenticated = entry.direction === 'inbound' && entry.authenticated !== true;
    if (unauthenticated && !this.unauthenticatedLines.take()) return;
    this.access.log({
      msg: `${entry.direction} ${labels.type} ${labels.outcome}`,
      direction: entry.direction,
      messageType: echo(type),
      messageId: echo(messageId),
      replyType: entry.replyType,
      outcome: labels.outcome,
      ...(entry.outcome === undefined ? {} : { reason: entry.outcome.slice(0, 500) }),
      transport: labels.transport,
      peer: echo(entry.peer),
      ...(unauthenticated ? { authenticated: false } : {}),
      ...(entry.durationMs === undefined ? {} : { ms: Math.round(entry.durationMs * 100) / 100 }),
    });
  }
}
