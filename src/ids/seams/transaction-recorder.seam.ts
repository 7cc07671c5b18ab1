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
}

/**
 * Seam: where every IDS exchange, in or out, is recorded. The audit feature (`src/audit/`) provides it; protocol
 * code stays free of persistence (ARCHITECTURE dependency rules).
 */
export abstract class TransactionRecorder {
  abstract record(entry: TransactionRecord): Promise<void>;
}
