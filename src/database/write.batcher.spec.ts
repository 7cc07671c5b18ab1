import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Column, DataSource, Entity, PrimaryColumn, type EntityManager } from 'typeorm';
import { execute, insertStatement } from './raw.statements.js';
import { sqliteDriver } from './sqlite.driver.js';
import { WriteBatcher, type RowTable } from './write.batcher.js';

@Entity('units')
class UnitEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'integer' }) n!: number;
}

@Entity('rows')
class RowEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'simple-json' }) tags!: string[];
  @Column({ type: 'boolean', default: false }) flag!: boolean;
}

const UNITS: RowTable<Partial<UnitEntity>> = { statement: (m, rows) => insertStatement(m, UnitEntity, rows) };
const ROWS: RowTable<Partial<RowEntity>> = { statement: (m, rows) => insertStatement(m, RowEntity, rows) };

describe('group commit of units and rows (real SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-batch-'));
  const source = new DataSource({
    type: 'sqlite',
    driver: sqliteDriver(false),
    database: join(dir, 'b.sqlite'),
    entities: [UnitEntity, RowEntity],
    synchronize: true,
  });
  /** Transactions begun on the connection (each batch is one; an entry tried again alone is one more). */
  let transactions = 0;
  before(async () => {
    await source.initialize();
    // Counted where sqlite3 is given the SQL: TypeORM's BEGIN and the one-call batches' alike.
    const connection = (source.driver as unknown as { databaseConnection: Record<string, (sql: string, ...rest: unknown[]) => unknown> })
      .databaseConnection;
    for (const method of ['all', 'run', 'exec']) {
      const original = connection[method].bind(connection);
      connection[method] = (sql: string, ...rest: unknown[]) => {
        if (/^BEGIN\b/i.test(sql)) transactions++;
        return original(sql, ...rest);
      };
    }
  });
  beforeEach(async () => {
    await source.manager.clear(UnitEntity);
    await source.manager.clear(RowEntity);
    await source.manager.insert(UnitEntity, { id: 'counter', n: 0 });
    transactions = 0;
  });
  after(async () => {
    await source.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const claim = (limit: number) => async (m: EntityManager) =>
    (await execute(m, 'UPDATE units SET n = n + 1 WHERE id = ? AND n < ?', ['counter', limit])) === 1;
  const counter = async (): Promise<number | undefined> => (await source.manager.findOneBy(UnitEntity, { id: 'counter' }))?.n;

  it('runs concurrent units in one transaction and answers each with its own result', async () => {
    const batcher = new WriteBatcher(source);
    const values = await Promise.all(Array.from({ length: 5 }, () => batcher.unit(claim(3))));
    assert.deepEqual(values, [true, true, true, false, false]);
    assert.equal(await counter(), 3, 'exact under the limit');
    assert.equal(transactions, 1);
  });

  it('a failing unit gets its error and leaves nothing; the others are tried again alone and keep their results', async () => {
    const batcher = new WriteBatcher(source);
    let runs = 0;
    const failing = async (m: EntityManager): Promise<boolean> => {
      runs++;
      await m.insert(UnitEntity, { id: 'half-written', n: 1 });
      throw new Error('this unit fails after a write');
    };
    const outcomes = await Promise.allSettled([
      batcher.unit(claim(3)),
      batcher.unit(failing),
      batcher.unit(claim(3)),
      batcher.append(ROWS, { id: 'r', tags: [] }),
    ]);
    assert.deepEqual(
      outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message)),
      [true, 'this unit fails after a write', true, undefined],
    );
    assert.equal(await counter(), 2, 'each claim counted once, although it ran twice');
    assert.equal(await source.manager.countBy(UnitEntity, { id: 'half-written' }), 0, 'the failed unit left nothing');
    assert.equal(await source.manager.countBy(RowEntity, { id: 'r' }), 1);
    assert.equal(runs, 2, 'in the batch, then alone');
    assert.equal(transactions, 5, 'the batch, then each of the four alone');
  });

  it('appends concurrent callers’ rows with one INSERT a batch, converting values as TypeORM would', async () => {
    const batcher = new WriteBatcher(source);
    await Promise.all(
      Array.from({ length: 250 }, (_, i) => batcher.append(ROWS, { id: `r${i}`, tags: [`t${i}`], ...(i === 0 ? { flag: true } : {}) })),
    );
    assert.equal(await source.manager.count(RowEntity), 250, 'every row is there when its caller is answered');
    assert.ok(transactions <= 5, `transactions: ${transactions}`);
    const first = await source.manager.findOneByOrFail(RowEntity, { id: 'r0' });
    assert.deepEqual([first.tags, first.flag], [['t0'], true]);
    assert.equal((await source.manager.findOneByOrFail(RowEntity, { id: 'r1' })).flag, false, 'the column default');
  });

  it('a row that cannot be written fails its caller only', async () => {
    const batcher = new WriteBatcher(source);
    await batcher.append(ROWS, { id: 'taken', tags: [] });
    const outcomes = await Promise.allSettled([
      batcher.append(ROWS, { id: 'x1', tags: [] }),
      batcher.append(ROWS, { id: 'taken', tags: [] }),
    ]);
    assert.deepEqual(
      outcomes.map((r) => r.status),
      ['fulfilled', 'rejected'],
    );
    assert.equal(await source.manager.countBy(RowEntity, { id: 'x1' }), 1);
  });

  it('rows of several tables go in one call; when a later one fails, the earlier ones are kept on the retry', async () => {
    const batcher = new WriteBatcher(source);
    await batcher.append(ROWS, { id: 'taken', tags: [] });
    transactions = 0;
    const outcomes = await Promise.allSettled([
      batcher.append(UNITS, { id: 'u1', n: 1 }),
      batcher.append(ROWS, { id: 'taken', tags: ["it's"] }),
      batcher.append(ROWS, { id: 'q', tags: ["it's", 'a\0b'] }),
    ]);
    assert.deepEqual(
      outcomes.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal(await source.manager.countBy(UnitEntity, { id: 'u1' }), 1);
    assert.deepEqual((await source.manager.findOneByOrFail(RowEntity, { id: 'q' })).tags, ["it's", 'a\0b']);
    assert.equal(transactions, 4, 'the batch, then each alone');
  });

  it('units and rows that arrive together share one transaction', async () => {
    const batcher = new WriteBatcher(source);
    await Promise.all([batcher.unit(claim(10)), batcher.append(ROWS, { id: 'a', tags: [] }), batcher.unit(claim(10))]);
    assert.equal(transactions, 1);
    assert.equal(await counter(), 2);
  });
});
