import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../audit/entities/audit-event.entity.js';
import { BrokerService, type RegistrationStatus } from '../broker/broker.service.js';
import { ClearingHouseOutbox } from '../clearing-house/clearing-house.outbox.js';
import { clearingHouseSettings, type ClearingHouseSettings } from '../clearing-house/clearing-house.settings.js';
import { Clock } from '../common/clock.js';
import { within } from '../common/within.js';
import { serverSettings, type ServerSettings } from '../common/http/server.settings.js';
import { ConsumerService } from '../consumer/consumer.service.js';
import { AgreementRepository } from '../contracts/agreement.repository.js';
import { dapsSettings, type DapsSettings } from '../daps/daps.settings.js';
import type { AppState, AppStatus } from '../data-apps/data-app.supervisor.js';
import { DataAppSupervisor } from '../data-apps/data-app.supervisor.js';
import { DataAppRegistry } from '../data-apps/data-app.registry.js';
import { OutputStore, type OutputView } from '../data-apps/output.store.js';
import { connectorSettings, type ConnectorSettings } from '../ids/connector.settings.js';
import { TokenProvider } from '../ids/seams/token.seam.js';
import { UsageEnforcer } from '../usage/usage.enforcer.js';
import { TransferProgress, type Transfer } from '../consumer/transfer.progress.js';

const RECENT_EXCHANGES = 15;
/** Time series the page plots over hours rather than over the newest values: the output, and how far back. */
const LONG_SERIES: Record<string, { hours: number; points: number }> = { 'occupancy/series': { hours: 6, points: 1000 } };
const RECENT_AGREEMENTS = 8;

export interface AgreementLine {
  side: 'provider' | 'consumer';
  agreement: string;
  peer: string | null;
  target: string;
  uses: number;
  limit: number | null;
  permitted: boolean;
  reasons: string[];
}

export interface LiveSnapshot {
  at: string;
  connector: { id: string; title: string; publicUrl: string; securityProfile: string; daps: { mode: string; token: string } };
  broker: RegistrationStatus;
  clearingHouse: { enabled: boolean; depth: number; oldest: string | null; lastError: string | null; delivered: number };
  exchanges: {
    at: string;
    direction: string;
    type: string;
    reply: string | null;
    outcome: string | null;
    peer: string | null;
    transport: string;
  }[];
  agreements: AgreementLine[];
  transfers: Transfer[];
  apps: {
    name: string;
    title: string;
    state: AppState;
    lastError: string | null;
    counters: Record<string, number>;
    /** Every configured source (PLC, camera) with its state, up or down. */
    sources: AppStatus['sources'];
    outputs: Record<string, OutputView>;
  }[];
}

const short = (type: string | null): string | null => (type === null ? null : type.replace(/^ids:/, ''));

/** What the live page shows, read in one go: the same facts as the admin API, gathered for a person watching. */
@Injectable()
export class LiveSnapshotService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenProvider,
    private readonly broker: BrokerService,
    private readonly agreements: AgreementRepository,
    private readonly consumer: ConsumerService,
    private readonly usage: UsageEnforcer,
    private readonly supervisor: DataAppSupervisor,
    private readonly registry: DataAppRegistry,
    private readonly outputs: OutputStore,
    private readonly transfers: TransferProgress,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(connectorSettings.token) private readonly connector: ConnectorSettings,
    @Inject(serverSettings.token) private readonly server: ServerSettings,
    @Inject(dapsSettings.token) private readonly daps: DapsSettings,
    @Inject(clearingHouseSettings.token) private readonly clearingHouse: ClearingHouseSettings,
  ) {}

  async snapshot(): Promise<LiveSnapshot> {
    const [token, stats, exchanges, agreements, apps] = await Promise.all([
      this.tokenState(),
      ClearingHouseOutbox.stats(this.dataSource.manager),
      this.dataSource.manager.find(AuditEventEntity, { order: { seq: 'DESC' }, take: RECENT_EXCHANGES }),
      this.agreementLines(),
      this.appPanels(),
    ]);
    return {
      at: this.clock.now().toISOString(),
      connector: {
        id: this.connector.id,
        title: this.connector.title,
        publicUrl: this.server.publicUrl,
        securityProfile: this.connector.securityProfile,
        daps: { mode: this.daps.mode, token },
      },
      broker: this.broker.status(),
      clearingHouse: {
        enabled: this.clearingHouse.url !== undefined,
        depth: stats.depth,
        oldest: stats.oldest,
        lastError: stats.lastError,
        delivered: stats.delivered,
      },
      exchanges: exchanges.map((e) => ({
        at: e.at,
        direction: e.direction,
        type: short(e.messageType) ?? '',
        reply: short(e.replyType),
        outcome: e.outcome,
        peer: e.peer,
        transport: e.transport,
      })),
      agreements,
      transfers: this.transfers.list(),
      apps,
    };
  }

  private tokenState(): Promise<string> {
    return within(this.tokens.token(), 1500, 'the DAPS').then(
      () => 'valid',
      (error: unknown) => `not obtainable: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  private async agreementLines(): Promise<AgreementLine[]> {
    const provided = (await this.agreements.latest(RECENT_AGREEMENTS)).map((a) => ({
      side: 'provider' as const,
      iri: a.iri,
      peer: a.consumer,
      targets: a.targets,
      document: a.document,
      stored: a.created,
      consumer: a.consumer,
    }));
    const consumed = (await this.consumer.latestAgreements(RECENT_AGREEMENTS)).map((a) => ({
      side: 'consumer' as const,
      iri: a.iri,
      peer: a.provider ?? a.providerUrl,
      targets: a.targets,
      document: a.document,
      stored: a.created,
      consumer: undefined,
    }));
    const lines: AgreementLine[] = [];
    for (const a of [...provided, ...consumed]) {
      for (const target of a.targets) {
        const standing = await this.usage.standing({
          side: a.side,
          agreementIri: a.iri,
          document: a.document,
          stored: a.stored,
          target,
          ...(a.consumer === undefined ? {} : { consumer: a.consumer }),
        });
        lines.push({ side: a.side, agreement: a.iri, peer: a.peer, target, ...standing });
      }
    }
    return lines;
  }

  /** The newest values of the last hours, oldest first, at most `points` of them. */
  private async lastHours(app: string, output: string, long: { hours: number; points: number }): Promise<OutputView['history']> {
    const from = new Date(this.clock.now().getTime() - long.hours * 3_600_000).toISOString();
    const first = await this.outputs.history(app, output, { from, page: 0, size: long.points });
    if (first.total <= long.points) return first.items;
    // More than fit: the newest `points`, from the two pages they span.
    const skipped = first.total - long.points;
    const page = Math.floor(skipped / long.points);
    const [a, b] = await Promise.all([page, page + 1].map((p) => this.outputs.history(app, output, { from, page: p, size: long.points })));
    return [...a.items, ...b.items].slice(skipped - page * long.points, skipped - page * long.points + long.points);
  }

  private async appPanels(): Promise<LiveSnapshot['apps']> {
    const panels: LiveSnapshot['apps'] = [];
    for (const status of this.supervisor.list()) {
      const app = this.registry.get(status.name);
      const outputs: Record<string, OutputView> = {};
      for (const output of app?.outputs ?? []) {
        const view = await this.outputs.view(status.name, output);
        const long = LONG_SERIES[`${status.name}/${output.name}`];
        outputs[output.name] = long === undefined ? view : { ...view, history: await this.lastHours(status.name, output.name, long) };
      }
      panels.push({
        name: status.name,
        title: status.title,
        state: status.state,
        lastError: status.lastError,
        counters: status.counters,
        sources: status.sources,
        outputs,
      });
    }
    return panels;
  }
}
