import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import type { JsonValue } from '../common/json.js';
import type { DataAppOutput } from './data-app.contract.js';
import type { Page } from '../common/page.js';
import { DataAppRepository, type OutputQuery } from './data-app.repository.js';
import { dataAppsSettings, type DataAppsSettings } from './data-apps.settings.js';
import type { DataAppOutputEntity } from './entities/data-app-output.entity.js';

export interface OutputChange {
  app: string;
  output: string;
  key: string | null;
  seq: number;
  at: string;
  value: JsonValue;
}

/**
 * Told of every new output value inside the transaction that stores it, so that what it derives (a delivery to a
 * subscriber) commits or rolls back with the value: nothing published is ever lost to a crash in between.
 */
export type OutputListener = (change: OutputChange, manager: EntityManager) => Promise<void>;

export interface OutputEntry {
  seq: number;
  at: string;
  key: string | null;
  value: JsonValue;
}

/** What an artifact request for a data-app output returns (README: "Data-app outputs as artifacts"). */
export interface OutputView {
  app: string;
  output: string;
  kind: DataAppOutput['kind'];
  generatedAt: string;
  /** `state`: the newest value of each asset or zone, by key; `events`: the newest event (or null). */
  current: Record<string, OutputEntry> | OutputEntry | null;
  /** The newest values, oldest first, at most `historyLimit` of them. */
  history: OutputEntry[];
  historyLimit: number;
}

const TRIM_EVERY = 100;

/** The outputs' values: appended by the apps' contexts, read by the `data-app` artifact source and the admin API. */
@Injectable()
export class OutputStore {
  private readonly listeners: OutputListener[] = [];
  private readonly sinceTrim = new Map<string, number>();

  constructor(
    private readonly repository: DataAppRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(dataAppsSettings.token) private readonly settings: DataAppsSettings,
  ) {}

  /** Adds a listener (results delivery registers here). */
  listen(listener: OutputListener): void {
    this.listeners.push(listener);
  }

  async append(app: string, output: string, value: JsonValue, key: string | null = null): Promise<OutputChange> {
    const at = this.clock.now().toISOString();
    const change = await this.repository.transaction(async (tx) => {
      const row = await tx.appendOutput({ app, output, key, at, value: JSON.stringify(value) });
      const stored: OutputChange = { app, output, key, seq: row.seq, at, value };
      for (const listener of this.listeners) await listener(stored, tx.manager);
      return stored;
    });
    const id = `${app}/${output}`;
    const count = (this.sinceTrim.get(id) ?? 0) + 1;
    this.sinceTrim.set(id, count % TRIM_EVERY);
    if (count >= TRIM_EVERY) await this.repository.trim(app, output, this.settings.outputHistory);
    return change;
  }

  async history(app: string, output: string, q: OutputQuery): Promise<Page<OutputEntry>> {
    const [rows, total] = await this.repository.history(app, output, q);
    return { items: rows.map(entry), page: q.page, size: q.size, total };
  }

  async view(app: string, output: DataAppOutput): Promise<OutputView> {
    const limit = this.settings.responseHistory;
    const history = (await this.repository.latest(app, output.name, limit)).map(entry);
    let current: OutputView['current'];
    if (output.kind === 'state') {
      current = Object.fromEntries((await this.repository.current(app, output.name)).map((row) => [row.key ?? '', entry(row)]));
    } else {
      current = history.length === 0 ? null : history[history.length - 1];
    }
    return { app, output: output.name, kind: output.kind, generatedAt: this.clock.now().toISOString(), current, history, historyLimit: limit };
  }
}

function entry(row: DataAppOutputEntity): OutputEntry {
  return { seq: row.seq, at: row.at, key: row.key, value: JSON.parse(row.value) as JsonValue };
}
