import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { sqliteDriver } from '../database/sqlite.driver.js';
import { WriteBatcher } from '../database/write.batcher.js';
import { UsageAgreementEntity } from './entities/usage-agreement.entity.js';
import { UsageCounterEntity } from './entities/usage-counter.entity.js';
import { UsageLogEntity } from './entities/usage-log.entity.js';
import { COUNTED_USES, USAGE_LOG_ROWS, UsageRepository, type CounterKey } from './usage.repository.js';

describe('usage counters and records on the group commit (real SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-usage-'));
  const source = new DataSource({
    type: 'sqlite',
    driver: sqliteDriver(false),
    database: join(dir, 'u.sqlite'),
    entities: [UsageCounterEntity, UsageLogEntity, UsageAgreementEntity],
    synchronize: true,
  });
  const a: CounterKey = { side: 'provider', agreementIri: 'urn:agreement:a', target: 'urn:artifact:1' };
  const b: CounterKey = { ...a, target: 'urn:artifact:2' };
  before(() => source.initialize());
  after(async () => {
    await source.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts unlimited uses with one upsert a batch, creating each counter on its first use', async () => {
    const batcher = new WriteBatcher(source);
    const repository = new UsageRepository(source.manager);
    const use = (key: CounterKey, id: string): Promise<void> =>
      batcher.unit((_m, rows) => {
        rows.append(COUNTED_USES, key);
        rows.append(USAGE_LOG_ROWS, {
          id,
          ...key,
          consumer: 'urn:consumer',
          permitted: true,
          logDuty: false,
          reasons: ['permitted'],
          at: '2026-12-01T00:00:00.000Z',
        });
        return Promise.resolve();
      });
    await Promise.all([use(a, 'l1'), use(a, 'l2'), use(b, 'l3')]);
    assert.deepEqual([await repository.uses(a), await repository.uses(b)], [2, 1]);
    await use(a, 'l4');
    assert.equal(await repository.uses(a), 3, 'an existing counter is added to');
    const [log] = await repository.listLog(a.agreementIri, 0, 10);
    assert.equal(log.length, 4);
    assert.deepEqual(log[0].reasons, ['permitted'], 'simple-json read back as written');
    assert.equal(log[0].permitted, true);
  });

  it('claims a limited use with its conditional UPDATE, never past the limit', async () => {
    const repository = new UsageRepository(source.manager);
    const key: CounterKey = { ...a, agreementIri: 'urn:agreement:limited' };
    const claims = [];
    for (let i = 0; i < 4; i++) claims.push(await repository.claim(key, 3));
    assert.deepEqual(claims, [true, true, true, false]);
    assert.equal(await repository.uses(key), 3);
  });
});
