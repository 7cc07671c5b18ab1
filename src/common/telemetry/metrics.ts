import { Counter, Histogram, Registry } from 'prom-client';

/**
 * The connector's Prometheus instruments, one registry per app (tests build several apps in one process, so
 * prom-client's global registry is not used). Provided by the composition root as a boot fact; features count
 * what they see through the typed methods, and `operations/` adds the gauges read at scrape time and renders
 * `GET /metrics` (Prometheus text exposition format 0.0.4).
 */
export class Metrics {
  readonly registry = new Registry();

  private readonly idsMessages = new Counter({
    name: 'fep_ids_messages_total',
    help: 'IDS messages received (inbound) and sent (outbound), by message type, transport and outcome (ok or the rejection reason)',
    labelNames: ['direction', 'type', 'transport', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly idsDuration = new Histogram({
    name: 'fep_ids_message_duration_seconds',
    help: 'time from receiving an IDS message to its reply (inbound), or from sending to the reply (outbound)',
    labelNames: ['direction', 'type', 'transport'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });

  private readonly datFailures = new Counter({
    name: 'fep_dat_verification_failures_total',
    help: 'inbound DATs refused, by the check that failed (signature, exp, aud, replay, ...)',
    labelNames: ['check'] as const,
    registers: [this.registry],
  });

  private readonly policyDecisions = new Counter({
    name: 'fep_policy_decisions_total',
    help: 'usage-control decisions, by the usage patterns of the policy decided on and the result',
    labelNames: ['side', 'pattern', 'result'] as const,
    registers: [this.registry],
  });

  /**
   * Counts one exchange. The labels must come from closed sets (audit/exchange.labels.ts): a label value is a
   * series kept until the process ends.
   */
  private readonly deliveries = new Counter({
    name: 'fep_deliveries_total',
    help: 'delivery attempts by channel (ids, webhook, ngsi-ld) and outcome (delivered, failed, denied, dropped, refused; dead: refused for good by the receiver, kept as a dead letter; overflow: dropped unsent because FEP_DELIVERY_MAX_PENDING were waiting)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly sourceChanges = new Counter({
    name: 'fep_data_app_source_changes_total',
    help: 'sources (PLCs, cameras) of data apps going down (past a 5 s grace) and coming back, by app',
    labelNames: ['app', 'to'] as const,
    registers: [this.registry],
  });

  sourceChanged(app: string, to: 'up' | 'down'): void {
    this.sourceChanges.inc({ app, to });
  }

  delivery(
    channel: 'ids' | 'webhook' | 'ngsi-ld',
    outcome: 'delivered' | 'failed' | 'denied' | 'dropped' | 'refused' | 'overflow' | 'dead',
    count = 1,
  ): void {
    this.deliveries.inc({ channel, outcome }, count);
  }

  exchange(entry: { direction: string; type: string; transport: string; outcome: string; seconds?: number }): void {
    this.idsMessages.inc({ direction: entry.direction, type: entry.type, transport: entry.transport, outcome: entry.outcome });
    if (entry.seconds !== undefined) {
      this.idsDuration.observe({ direction: entry.direction, type: entry.type, transport: entry.transport }, entry.seconds);
    }
  }

  /** Declares the series of an exchange at zero (those an unauthenticated message may touch exist from boot). */
  declareExchange(entry: { direction: string; type: string; transport: string; outcome: string }): void {
    this.idsMessages.inc({ direction: entry.direction, type: entry.type, transport: entry.transport, outcome: entry.outcome }, 0);
    this.idsDuration.zero({ direction: entry.direction, type: entry.type, transport: entry.transport });
  }

  declareDatCheck(check: string): void {
    this.datFailures.inc({ check }, 0);
  }

  datRefused(check: string): void {
    this.datFailures.inc({ check });
  }

  policyDecided(side: string, patterns: readonly string[], permitted: boolean): void {
    const result = permitted ? 'permit' : 'deny';
    for (const pattern of patterns.length === 0 ? ['none'] : patterns) this.policyDecisions.inc({ side, pattern, result });
  }
}
