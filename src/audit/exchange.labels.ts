/**
 * The labels of one exchange's metrics, from closed sets only (pure). A label value becomes a time series that
 * lives until the process ends, and `/metrics` renders every one at each scrape: a value taken from the message
 * (its @type, a peer's rejection reason) would let anyone on the IDS port grow the registry without bound
 * (Prometheus, "Use labels": "do not use labels to store dimensions with high cardinality").
 */
import { ERROR_CODES } from '../common/connector.error.js';
import { MESSAGE_TYPES } from '../ids/messages/message.types.js';
import { REJECTION_REASONS } from '../ids/messages/rejection.mapper.js';
import { TRANSPORTS } from '../ids/transport/ids-transport.codec.js';
import type { TransactionRecord } from '../ids/seams/transaction-recorder.seam.js';

/** The type label of a message whose type is not known, or whose sender was not authenticated. */
export const OTHER = 'other';

const TYPES = new Set<string>(MESSAGE_TYPES);
const OUTCOMES = new Set<string>([...ERROR_CODES, ...REJECTION_REASONS, 'ok', 'failed', 'FAILED']);
const TRANSPORT_SET = new Set<string>(TRANSPORTS);
/** The DAT checks (daps/dat.verifier.ts, daps/dat-claims.check.ts) refusals are counted by. */
export const DAT_CHECKS = [
  'securityToken',
  '@type',
  'format',
  'kid',
  'signature',
  'replay',
  'aud',
  'exp',
  'iat',
  'iss',
  'nbf',
  'referringConnector',
  'scope',
  'securityProfile',
  'transportCertsSha256',
] as const;
const CHECKS = new Set<string>(DAT_CHECKS);

export interface ExchangeLabels {
  direction: 'inbound' | 'outbound';
  /** A known IDS message type without `ids:`, or `other`. */
  type: string;
  transport: string;
  outcome: string;
}

/**
 * Inbound, the type is named only once the sender's token was accepted: before that the @type is the sender's word,
 * and a refused message must not create a series (its series are declared at boot, `preDeclared`).
 */
export function exchangeLabels(entry: TransactionRecord, type: string): ExchangeLabels {
  const trusted = entry.direction === 'outbound' || entry.authenticated === true;
  const outcome = entry.failure?.code ?? (entry.outcome === undefined ? 'ok' : 'failed');
  return {
    direction: entry.direction,
    type: trusted && TYPES.has(type) ? type.replace(/^ids:/, '') : OTHER,
    transport: TRANSPORT_SET.has(entry.transport) ? entry.transport : OTHER,
    outcome: OUTCOMES.has(outcome) ? outcome : OTHER,
  };
}

/** The DAT check a refusal names, or `other`. */
export function datCheckLabel(field: string | undefined): string {
  return field !== undefined && CHECKS.has(field) ? field : OTHER;
}

/** Every series an unauthenticated inbound message can touch, declared at boot so that none is created by one. */
export function preDeclared(): { exchanges: ExchangeLabels[]; checks: string[] } {
  const exchanges: ExchangeLabels[] = [];
  for (const transport of [...TRANSPORTS, OTHER]) {
    for (const outcome of [...ERROR_CODES, 'failed']) exchanges.push({ direction: 'inbound', type: OTHER, transport, outcome });
  }
  return { exchanges, checks: [...DAT_CHECKS, OTHER] };
}
