import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { GroupRunner } from './group.runner.js';
import { sqliteDriver } from './sqlite.driver.js';

@Entity('units')
class UnitEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'integer' }) n!: number;
}

describe('group commit of units of work (real SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-units-'));
  const source = new DataSource({
    type: 'sqlite',
    driver: sqliteDriver(false),
    database: join(dir, 'u.sqlite'),
    entities: [UnitEntity],
    synchronize: true,
  });
  before(async () => {
    await source.initialize();
    await source.manager.insert(UnitEntity, { id: 'counter', n: 0 });
  });
  after(async () => {
    await source.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs concurrent units in one transaction each in its savepoint: a failing unit rolls back alone, the others keep their results', async () => {
    const group = new GroupRunner(source);
    const claim = (limit: number) => async (m: import('typeorm').EntityManager) => {
      const result = await m
        .createQueryBuilder()
        .update(UnitEntity)
        .set({ n: () => 'n + 1' })
        .where('id = :id AND n < :limit', { id: 'counter', limit })
        .execute();
      return result.affected === 1;
    };
    const failing = async (m: import('typeorm').EntityManager): Promise<boolean> => {
      await m.insert(UnitEntity, { id: 'half-written', n: 1 });
      throw new Error('this unit fails after a write');
    };
    const outcomes = await Promise.allSettled([...Array.from({ length: 5 }, () => group.run(claim(3))), group.run(failing)]);
    const values = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'failed'));
    assert.deepEqual(values, [true, true, true, false, false, 'failed']);
    assert.equal((await source.manager.findOneBy(UnitEntity, { id: 'counter' }))?.n, 3, 'exact under the limit');
    assert.equal(await source.manager.countBy(UnitEntity, { id: 'half-written' }), 0, 'the failed unit left nothing');
  });
});
