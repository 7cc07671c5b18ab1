/**
 * What a clearing-house record says (IDS-G multipart README section 4.2; Fraunhofer-AISEC ids-clearing-house-service): the process id is the agreement's UUID (TRUE:
 * `ClearingHouseServiceImpl`), a process is created with both connectors' DAT subjects as owners, and a log
 * entry's payload is the logged message's header JSON-LD (as TRUE logs it) plus the SHA-256 of its payload.
 * Pure.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import type { OutboxRecordEntity } from './entities/outbox-record.entity.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The agreement IRI's UUID; an IRI without one (TRUE's `…/examplecontract`) gets a stable name-based one. */
export function processIdOf(agreementIri: string): string {
  const found = agreementIri.match(new RegExp(`${UUID.source}(?!.*${UUID.source})`, 'i'));
  if (found) return found[0].toLowerCase();
  const h = createHash('sha256').update(agreementIri).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A log entry: the message header as exchanged and the SHA-256 of its payload (null when there was none). */
export interface LoggedMessage {
  message: JsonLd;
  payloadSha256: string | null;
}

export type NewRecord = Pick<OutboxRecordEntity, 'id' | 'pid' | 'kind' | 'body'>;

export function processRecord(agreementIri: string, owners: (string | undefined)[]): NewRecord {
  return {
    id: randomUUID(),
    pid: processIdOf(agreementIri),
    kind: 'process',
    body: { owners: [...new Set(owners.filter((o): o is string => !!o))] },
  };
}

export function logRecord(agreementIri: string, logged: LoggedMessage): NewRecord {
  return { id: randomUUID(), pid: processIdOf(agreementIri), kind: 'log', body: { ...logged } };
}
