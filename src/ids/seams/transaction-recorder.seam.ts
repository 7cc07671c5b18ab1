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
  /** The domain error behind a rejection: its code, and the field or check it names (a DAT check for NOT_AUTHENTICATED). */
  failure?: { code: string; field?: string };
}

/**
 * Seam: where every IDS exchange, in or out, is recorded. The audit feature (`src/audit/`) provides it; protocol
 * code stays free of persistence (ARCHITECTURE dependency rules).
 */
export abstract class TransactionRecorder {
  abstract record(entry: TransactionRecord): Promise<void>;
}
