import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DataSource, Entity, PrimaryColumn } from 'typeorm';
import { FixedClock } from '../common/clock.js';
import { Metrics } from '../common/telemetry/metrics.js';
import { insertStatement } from '../database/raw.statements.js';
import { sqliteDriver } from '../database/sqlite.driver.js';
import { WriteBatcher, type RowTable } from '../database/write.batcher.js';
import type { TransactionRecord } from '../ids/seams/transaction-recorder.seam.js';
import { strictFake } from '../../test/support/strict-fake.js';
import { AuditRecorder } from './audit.recorder.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';

/** Stands for a feature's rows that ride with an exchange's record (a use's usage-log row). */
@Entity('uses')
class UseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
}
const USES: RowTable<UseEntity> = { statement: (m, rows) => insertStatement(m, UseEntity, rows) };

const exchange = (id: string): TransactionRecord => ({
  direction: 'inbound',
  request: { '@type': 'ids:ArtifactRequestMessage', '@id': id },
  replyType: 'ids:ArtifactResponseMessage',
  transport: 'form',
  peer: 'https://consumer.example/connector',
});

describe('AuditRecorder: an exchange and the rows it leaves to its record (real SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-audit-'));
  const source = new DataSource({
    type: 'sqlite',
    driver: sqliteDriver(false),
    database: join(dir, 'a.sqlite'),
    entities: [AuditEventEntity, UseEntity],
    synchronize: true,
  });
  let transactions = 0;
  let recorder: AuditRecorder;
  before(async () => {
    await source.initialize();
    const connection = (source.driver as unknown as { databaseConnection: Record<string, (sql: string, ...rest: unknown[]) => unknown> })
      .databaseConnection;
    const exec = connection['exec'].bind(connection);
    connection['exec'] = (sql: string, ...rest: unknown[]) => {
      if (/^BEGIN\b/i.test(sql)) transactions++;
      return exec(sql, ...rest);
    };
    recorder = new AuditRecorder(new WriteBatcher(source), new FixedClock(new Date('2026-12-01T00:00:00Z')), new Metrics());
  });
  beforeEach(async () => {
    await source.manager.clear(AuditEventEntity);
    await source.manager.clear(UseEntity);
    transactions = 0;
  });
  after(async () => {
    await source.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const audited = (id: string): Promise<number> => source.manager.countBy(AuditEventEntity, { messageId: id });

  it('commits the exchange’s rows and its audit row in one transaction', async () => {
    const rows = recorder.rows();
    rows.append(USES, { id: 'use-1' });
    await recorder.record({ ...exchange('urn:m:1'), rows });
    assert.equal(await audited('urn:m:1'), 1);
    assert.equal(await source.manager.countBy(UseEntity, { id: 'use-1' }), 1);
    assert.equal(transactions, 1, 'one write for the exchange');
  });

  it('rows that cannot be written: the record rejects, and neither they nor the audit row are there; the others are kept', async () => {
    await source.manager.insert(UseEntity, { id: 'taken' });
    const failing = recorder.rows();
    failing.append(USES, { id: 'fresh' });
    failing.append(USES, { id: 'taken' });
    const fine = recorder.rows();
    fine.append(USES, { id: 'other' });
    const outcomes = await Promise.allSettled([
      recorder.record({ ...exchange('urn:m:failing'), rows: failing }),
      recorder.record({ ...exchange('urn:m:fine'), rows: fine }),
      recorder.record(exchange('urn:m:plain')),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['rejected', 'fulfilled', 'fulfilled'],
    );
    assert.equal(await audited('urn:m:failing'), 0, 'no audit row without its use');
    assert.equal(await source.manager.countBy(UseEntity, { id: 'fresh' }), 0, 'nothing half-written');
    assert.equal(await audited('urn:m:fine'), 1);
    assert.equal(await source.manager.countBy(UseEntity, { id: 'other' }), 1);
    assert.equal(await audited('urn:m:plain'), 1);
  });

  it('without rows of its own, a record that cannot be written is logged and does not fail the exchange', async () => {
    const full = (): Promise<never> => Promise.reject(new Error('disk full'));
    const broken = new AuditRecorder(
      strictFake<WriteBatcher>('WriteBatcher', { append: full, rows: full }),
      new FixedClock(new Date()),
      new Metrics(),
    );
    await broken.record(exchange('urn:m:best-effort'));
    const rows = broken.rows();
    rows.append(USES, { id: 'u' });
    await assert.rejects(broken.record({ ...exchange('urn:m:with-rows'), rows }), /disk full/);
  });
});
