import { Injectable, Logger } from '@nestjs/common';
import { asText } from '../infomodel/jsonld.reader.js';
import type { JsonLd } from '../infomodel/jsonld.writer.js';

export interface TransactionRecord {
  direction: 'inbound' | 'outbound';
  request: JsonLd;
  reply: JsonLd;
  /** The transport used. */
  transport: string;
  peer?: string;
}

/**
 * Where every exchanged message pair is recorded. This default logs one line per exchange; the clearing-house
 * issue replaces it with a durable outbox (same contract).
 */
@Injectable()
export class TransactionRecorder {
  private readonly logger = new Logger('IdsTransactions');

  record(entry: TransactionRecord): Promise<void> {
    this.logger.debug(`${entry.direction} ${asText(entry.request['@type'])} -> ${asText(entry.reply['@type'])} (${entry.transport}${entry.peer ? `, ${entry.peer}` : ''})`);
    return Promise.resolve();
  }
}
