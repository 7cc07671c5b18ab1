import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { GroupWriter } from './group.writer.js';
import { sqliteDriver } from './sqlite.driver.js';

@Entity('rows')
class RowEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'text' }) text!: string;
}

describe('group commit (real SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-group-'));
  const source = new DataSource({
    type: 'sqlite',
    driver: sqliteDriver(false),
    database: join(dir, 'g.sqlite'),
    entities: [RowEntity],
    synchronize: true,
  });
  before(async () => {
    await source.initialize();
  });
  after(async () => {
    await source.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes concurrent callers’ rows in few transactions, answering each once its batch committed', async () => {
    const batches: number[] = [];
    const writer = new GroupWriter<RowEntity>(source, async (m, rows) => {
      batches.push(rows.length);
      await m.insert(RowEntity, rows);
    });
    await Promise.all(Array.from({ length: 250 }, (_, i) => writer.add({ id: `r${i}`, text: `row ${i}` })));
    assert.equal(await source.manager.count(RowEntity), 250, 'every row is there when its caller is answered');
    assert.ok(batches.length <= 5, `batches: ${batches.join(', ')}`);
    assert.ok(batches.every((n) => n <= 100));
  });

  it('a batch that fails fails its callers only, and nothing of it is kept; the next batch goes in', async () => {
    const writer = new GroupWriter<RowEntity>(source, async (m, rows) => {
      await m.insert(RowEntity, rows);
    });
    const failing = await Promise.allSettled([writer.add({ id: 'x1', text: 'a' }), writer.add({ id: 'r0', text: 'a duplicate key' })]);
    assert.deepEqual(
      failing.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(await source.manager.countBy(RowEntity, { id: 'x1' }), 0, 'rolled back with its batch');
    await writer.add({ id: 'x2', text: 'b' });
    assert.equal(await source.manager.countBy(RowEntity, { id: 'x2' }), 1);
  });
});
