import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { Metrics } from '../common/telemetry/metrics.js';
import { ConnectorError } from '../common/connector.error.js';
import { connectorSettings, type ConnectorSettings } from '../ids/connector.settings.js';
import { dapsSettings, type DapsSettings } from '../daps/daps.settings.js';
import { usageSettings, type UsageSettings } from './usage.settings.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import type { ExchangeRows } from '../ids/seams/transaction-recorder.seam.js';
import type { RowSink } from '../database/write.batcher.js';
import type { UsageLogEntity } from './entities/usage-log.entity.js';
import type { Side, UsageContext } from './patterns/usage-pattern.contract.js';
import { PolicyEngine, type Decision } from './policy/policy.engine.js';
import { readPolicy, type Policy } from './policy/policy.model.js';
import { parseDateTimeStamp } from './policy/xsd.values.js';
import { UsageNotifier } from './usage.notifier.js';
import { COUNTED_USES, USAGE_LOG_ROWS, UsageRepository, type CounterKey } from './usage.repository.js';
import { UseCounters } from './use.counters.js';
import { ClearingHouseOutbox } from '../clearing-house/clearing-house.outbox.js';
import { EvidenceUnit } from '../clearing-house/evidence.unit.js';
import { logRecord, type LoggedMessage } from '../clearing-house/clearing-house.records.js';

/** What the clearing house gets for a use that is not an IDS exchange (a consumer reading received data). */
function usageLogged(request: UseRequest, context: UsageContext): LoggedMessage {
  return {
    message: {
      '@type': 'fep:UsageEvent',
      'fep:side': request.side,
      'ids:transferContract': { '@id': request.agreementIri },
      'ids:requestedArtifact': { '@id': request.target },
      'ids:issuerConnector': { '@id': context.consumerConnector },
      'ids:issued': context.now.toISOString(),
    },
    payloadSha256: null,
  };
}

/** A policy as read once per agreement document: its rules, the usage patterns it is made of, whether it counts uses. */
interface ReadPolicy {
  policy: Policy;
  patterns: string[];
  counts: boolean;
}

export interface UseRequest {
  side: Side;
  agreementIri: string;
  document: JsonLd;
  /** When the agreement was stored: durations count from it when the document names no start. */
  stored: string;
  target: string;
  /** Provider side: the requester's checked ids:issuerConnector. Consumer side: ignored (our own id). */
  consumer?: string;
  /** Provider side: the requester's DAT securityProfile claim. */
  securityProfile?: string;
  /** Consumer side: when the data arrived. */
  received?: Date;
  /** false: decide only, count nothing and carry out no duty (TRUE's `consuming=false`). */
  consume: boolean;
  /**
   * The exchange this use is part of, recorded for the clearing house in the same transaction as the use. With
   * `served: 'pending'` the record waits (held) until `transferEnded` says what was actually served.
   */
  transfer?: LoggedMessage & { served?: 'pending' };
  /**
   * The inbound exchange's rows (IdsPipeline): a use that needs no statement of its own (no limit, no clearing
   * house, no notification that could take it back) is added there and commits with the exchange's audit row, which
   * the pipeline awaits before the reply leaves. Without them the use commits here, before this returns.
   */
  rows?: ExchangeRows;
}

/** A permitted use: the decision, and the clearing-house record of its transfer when one was written. */
export type Permit = Decision & { recordId?: string };

/**
 * The policy enforcement point, on both sides: reads the agreement, asks the engine, and for a permitted use
 * claims it (atomic counter) and writes its usage-log record in one transaction (or leaves both to the inbound
 * exchange's record: UseRequest.rows), then notifies. A use whose
 * claim, record or notification fails is denied (after a failed notification its claim and record are taken back). Denials throw NOT_AUTHORIZED with
 * every reason; both are logged.
 */
@Injectable()
export class UsageEnforcer {
  private readonly logger = new Logger('UsageControl');
  /** Agreement documents come from the agreement cache, the same object each time: each is read once. */
  private readonly read = new WeakMap<JsonLd, ReadPolicy>();

  constructor(
    private readonly engine: PolicyEngine,
    private readonly repository: UsageRepository,
    private readonly counters: UseCounters,
    private readonly notifier: UsageNotifier,
    private readonly outbox: ClearingHouseOutbox,
    private readonly evidence: EvidenceUnit,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(connectorSettings.token) private readonly connector: ConnectorSettings,
    @Inject(dapsSettings.token) private readonly daps: DapsSettings,
    @Inject(usageSettings.token) private readonly usage: UsageSettings,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  private policyOf(document: JsonLd): ReadPolicy {
    let read = this.read.get(document);
    if (read === undefined) {
      const policy = readPolicy(document);
      const patterns = this.engine.patternsOf(policy);
      read = { policy, patterns, counts: patterns.includes('N_TIMES_USAGE') };
      this.read.set(document, read);
    }
    return read;
  }

  /** Why this contract cannot be enforced here; empty when it can (offers and agreements are refused otherwise). */
  problems(document: JsonLd): string[] {
    return this.engine.problems(readPolicy(document));
  }

  private context(request: Omit<UseRequest, 'consume'>, policy: Policy, uses: number): UsageContext {
    const start = policy.start === undefined ? undefined : parseDateTimeStamp(policy.start);
    const consumerSide = request.side === 'consumer';
    return {
      side: request.side,
      now: this.clock.now(),
      agreementStart: start?.ok ? start.value : new Date(request.stored),
      consumerConnector: consumerSide ? this.connector.id : (request.consumer ?? ''),
      ...(consumerSide
        ? { securityProfile: this.connector.securityProfile }
        : request.securityProfile === undefined
          ? {}
          : { securityProfile: request.securityProfile }),
      purposes: consumerSide ? this.usage.purposes : [],
      roles: consumerSide ? this.usage.roles : [],
      uses,
      skewMs: this.daps.skewSeconds * 1000,
      ...(request.received === undefined ? {} : { received: request.received }),
    };
  }

  /** When data received now under this agreement must be deleted, if its policy says. */
  deletionDeadline(request: Omit<UseRequest, 'consume'>): Date | undefined {
    const policy = readPolicy(request.document);
    return this.engine.deletionDeadline(policy, request.target, this.context(request, policy, 0));
  }

  /** Where an agreement stands for one target, without using it: uses spent, the N_TIMES limit, whether a use would be permitted now. */
  async standing(
    request: Omit<UseRequest, 'consume'>,
  ): Promise<{ uses: number; limit: number | null; permitted: boolean; reasons: string[] }> {
    const key: CounterKey = { side: request.side, agreementIri: request.agreementIri, target: request.target };
    const { policy } = this.policyOf(request.document);
    const uses = await this.counters.uses(key);
    const decision = this.engine.decide(policy, request.target, this.context(request, policy, uses));
    return { uses, limit: decision.limit ?? null, permitted: decision.permit, reasons: decision.reasons };
  }

  async authorize(request: UseRequest): Promise<Permit> {
    const key: CounterKey = { side: request.side, agreementIri: request.agreementIri, target: request.target };
    const { policy, patterns, counts } = this.policyOf(request.document);
    // The counter is read only for a policy that counts (N_TIMES_USAGE): one query less for every other exchange.
    const context = this.context(request, policy, counts ? await this.counters.uses(key) : 0);
    const decision = this.engine.decide(policy, request.target, context);
    this.metrics.policyDecided(request.side, patterns, decision.permit);
    if (!decision.permit) return this.refuse(request, context, decision.reasons);
    if (!request.consume) return decision;
    // Counts held in memory (SQLite): the use is reserved now, with no await since the read the decision used, and
    // then written as a plain increment with the rest; a write that fails gives it back (use.counters.ts).
    const reserved = decision.limit !== undefined && this.counters.held;
    if (reserved && !this.counters.reserve(key, decision.limit!)) return this.spent(request, context, decision.limit!);

    const logDuty = decision.duties.some((d) => d.action === 'LOG');
    const notifies = decision.duties.some((d) => d.action === 'NOTIFY');
    const recordId = randomUUID();
    let recorded = false;
    // Held back from the clearing house while the transfer runs (its hash comes at the end) or the notification is
    // still to go (a failed one takes the use back, and its record with it).
    const hold = request.transfer?.served === 'pending' || notifies;
    const record: UsageLogEntity = {
      id: recordId,
      side: request.side,
      agreementIri: request.agreementIri,
      target: request.target,
      consumer: context.consumerConnector,
      permitted: true,
      logDuty,
      reasons: decision.reasons,
      at: context.now.toISOString(),
    };
    // Without a limit to check here (none, or reserved) and without a clearing house, a use is only counted and
    // recorded: rows that go in with the group commit, no statement of its own (the cheapest write there is), or
    // with the exchange's audit row.
    const increments = decision.limit === undefined || reserved;
    const onlyRows = increments && !this.evidence.recording;
    const useRows = (rows: RowSink): true => {
      rows.append(COUNTED_USES, key);
      rows.append(USAGE_LOG_ROWS, record);
      return true;
    };
    let claimed: boolean | undefined;
    if (onlyRows && !notifies && request.rows !== undefined) {
      // Left to the exchange's record: committed with its audit row before the reply leaves (IdsPipeline).
      claimed = useRows(request.rows);
      if (reserved) request.rows.onSettled((committed) => committed || this.counters.unreserve(key));
    } else {
      claimed = await (
        onlyRows
          ? this.evidence.rowsOnly(useRows)
          : this.evidence.run(async ({ manager, rows, record: evidence }) => {
              // A limit not reserved in memory is checked by its own conditional UPDATE; any other use is only
              // counted, with the batch.
              if (increments) rows.append(COUNTED_USES, key);
              else if (!(await this.repository.using(manager).claim(key, decision.limit))) return false;
              rows.append(USAGE_LOG_ROWS, record);
              // A transfer is always recorded; a local use only when a USAGE_LOGGING duty asks (the record meets it).
              const { served: _served, ...transfer } = request.transfer ?? {};
              const logged = request.transfer ? (transfer as LoggedMessage) : logDuty ? usageLogged(request, context) : undefined;
              if (logged) {
                await evidence([{ ...logRecord(request.agreementIri, logged), id: recordId }], { hold });
                recorded = this.evidence.recording;
              }
              return true;
            })
      ).catch((error: unknown) => {
        this.logger.error(
          `usage record for ${request.agreementIri} not written: ${error instanceof Error ? error.message : String(error)}`,
        );
        return undefined;
      });
      if (reserved && claimed !== true) this.counters.unreserve(key);
    }
    if (claimed === undefined) {
      return this.refuse(request, context, ['the use could not be recorded (USAGE_LOGGING and counters need the record): try again']);
    }
    if (!claimed) return this.spent(request, context, decision.limit ?? 0);

    for (const duty of decision.duties) {
      if (duty.action !== 'NOTIFY') continue;
      try {
        await this.notifier.notify(duty.endpoint, {
          target: request.target,
          agreement: request.agreementIri,
          consumer: context.consumerConnector,
          side: request.side,
          time: context.now.toISOString(),
        });
      } catch (error) {
        // The use did not happen: its claim and its record are taken back together.
        await this.evidence.run(async ({ manager }) => {
          const tx = this.repository.using(manager);
          await tx.release(key);
          await tx.unlog(recordId);
          await this.outbox.withdraw(manager, recordId);
        });
        if (reserved) this.counters.unreserve(key);
        return this.refuse(request, context, [
          `USAGE_NOTIFICATION: ${duty.endpoint} could not be notified (${error instanceof Error ? error.message : String(error)}), so the use is denied`,
        ]);
      }
    }
    // Notified: a record that waited only for that may go now (a transfer's still waits for its end).
    if (recorded && notifies && request.transfer?.served !== 'pending') await this.outbox.release(this.repository.manager, recordId, {});
    return recorded ? { ...decision, recordId } : decision;
  }

  /** The transfer of a permitted use ended: its record now says what was served (SHA-256, bytes, whole or not). */
  async transferEnded(recordId: string, served: { sha256: string; bytes: number; complete: boolean }): Promise<void> {
    await this.outbox
      .release(this.repository.manager, recordId, {
        payloadSha256: served.sha256,
        bytesServed: served.bytes,
        ...(served.complete ? {} : { transfer: 'interrupted: the consumer or the source broke off' }),
      })
      .catch((error: unknown) =>
        this.logger.error(`clearing-house record ${recordId} not completed: ${error instanceof Error ? error.message : String(error)}`),
      );
  }

  private spent(request: UseRequest, context: UsageContext, limit: number): Promise<never> {
    return this.refuse(request, context, [`N_TIMES_USAGE: all ${limit} uses are spent`]);
  }

  private async refuse(request: UseRequest, context: UsageContext, reasons: string[]): Promise<never> {
    this.logger.log(`denied ${request.side}-side use of ${request.target} under ${request.agreementIri}: ${reasons.join('; ')}`);
    await this.repository
      .log({
        id: randomUUID(),
        side: request.side,
        agreementIri: request.agreementIri,
        target: request.target,
        consumer: context.consumerConnector,
        permitted: false,
        logDuty: false,
        reasons,
        at: context.now.toISOString(),
      })
      .catch(() => undefined);
    throw new ConnectorError('NOT_AUTHORIZED', `usage denied: ${reasons.join('; ')}`);
  }
}
