import type { JsonLd } from '../infomodel/jsonld.writer.js';

export interface TransactionRecord {
  direction: 'inbound' | 'outbound';
  /** The request header as exchanged. */
  request: JsonLd;
  /** The reply's @type (a rejection too), or undefined when none came. */
  replyType?: string;
  /** A rejection reason or transport error. */
  outcome?: string;
  /** The transport used. */
  transport: string;
  /** The requester's connector (inbound) or the URL called (outbound). */
  peer?: string;
  /** From receiving the request to its reply (inbound), from sending to the reply (outbound). */
  durationMs?: number;
  /**
   * Inbound: the sender's token was accepted. Until then everything in the message is the sender's word, and it may
   * not create a metrics series nor take unbounded room in the log.
   */
  authenticated?: boolean;
  /** The domain error behind a rejection: its code, and the field or check it names (a DAT check for NOT_AUTHENTICATED). */
  failure?: { code: string; field?: string };
  /**
   * Rows the exchange's handler left to this record (a use that needs no statement of its own): written in the
   * record's transaction, and then `record` rejects if they could not be, because the exchange did not happen.
   */
  rows?: ExchangeRows;
}

/**
 * Rows that commit with an inbound exchange's record, in one transaction, before its reply leaves: the use an
 * ArtifactRequestMessage made and the audit row of the exchange are one write instead of two. The rows and their
 * tables are the recorder's and the feature's (`RowSink` in database/); protocol code only carries this from the
 * pipeline to the handler and back to the recorder.
 */
export interface ExchangeRows {
  append(table: object, row: unknown): void;
  /** `listener` learns, once, whether the rows were committed (true) or never will be (false). */
  onSettled(listener: (committed: boolean) => void): void;
  /** The exchange ended without its record taking these rows (it failed after its handler added them). */
  discard(): void;
}

/**
 * Seam: where every IDS exchange, in or out, is recorded. The audit feature (`src/audit/`) provides it; protocol
 * code stays free of persistence (ARCHITECTURE dependency rules).
 */
export abstract class TransactionRecorder {
  /** Best effort without `entry.rows` (a failed write is logged); with them, rejects if they were not written. */
  abstract record(entry: TransactionRecord): Promise<void>;
  /** A new, empty set of rows for one inbound exchange's record. */
  abstract rows(): ExchangeRows;
}
