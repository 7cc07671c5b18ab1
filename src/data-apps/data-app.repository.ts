import { Brackets, type EntityManager } from 'typeorm';
import { inTransaction, write } from '../database/transaction.runner.js';
import { DataAppMemoryEntity } from './entities/data-app-memory.entity.js';
import { DataAppOutputEntity } from './entities/data-app-output.entity.js';
import { DataAppStateEntity } from './entities/data-app-state.entity.js';

export interface OutputQuery {
  key?: string;
  /** ISO-8601 bounds on `at`, inclusive. */
  from?: string;
  to?: string;
  page: number;
  size: number;
}

/** Apps' desired states, kept values and output history. */
export class DataAppRepository {
  constructor(readonly manager: EntityManager) {}

  using(manager: EntityManager): DataAppRepository {
    return new DataAppRepository(manager);
  }

  transaction<R>(work: (tx: DataAppRepository) => Promise<R>): Promise<R> {
    return inTransaction(this.manager, (m) => work(this.using(m)));
  }

  state(name: string): Promise<DataAppStateEntity | null> {
    return this.manager.findOneBy(DataAppStateEntity, { name });
  }

  saveState(state: DataAppStateEntity): Promise<DataAppStateEntity> {
    return write(this.manager, (m) => m.save(DataAppStateEntity, state));
  }

  async recall(app: string, key: string): Promise<string | undefined> {
    return (await this.manager.findOneBy(DataAppMemoryEntity, { app, key }))?.value;
  }

  async remember(entry: DataAppMemoryEntity): Promise<void> {
    await write(this.manager, (m) => m.save(DataAppMemoryEntity, entry));
  }

  appendOutput(row: Omit<DataAppOutputEntity, 'seq'>): Promise<DataAppOutputEntity> {
    return write(this.manager, (m) => m.save(DataAppOutputEntity, m.create(DataAppOutputEntity, row)));
  }

  /** The newest `limit` values, oldest first. */
  async latest(app: string, output: string, limit: number): Promise<DataAppOutputEntity[]> {
    const rows = await this.manager.find(DataAppOutputEntity, { where: { app, output }, order: { seq: 'DESC' }, take: limit });
    return rows.reverse();
  }

  /** The newest value of each key. */
  current(app: string, output: string): Promise<DataAppOutputEntity[]> {
    return this.manager
      .createQueryBuilder(DataAppOutputEntity, 'o')
      .where((qb) => {
        const newest = qb
          .subQuery()
          .select('MAX(n.seq)')
          .from(DataAppOutputEntity, 'n')
          .where('n.app = :app AND n.output = :output')
          .groupBy('n.key')
          .getQuery();
        return `o.seq IN ${newest}`;
      })
      .setParameters({ app, output })
      .orderBy('o.key', 'ASC')
      .getMany();
  }

  history(app: string, output: string, q: OutputQuery): Promise<[DataAppOutputEntity[], number]> {
    const query = this.manager
      .createQueryBuilder(DataAppOutputEntity, 'o')
      .where('o.app = :app AND o.output = :output', { app, output })
      .orderBy('o.seq', 'ASC')
      .skip(q.page * q.size)
      .take(q.size);
    if (q.key !== undefined) query.andWhere('o.key = :key', { key: q.key });
    if (q.from !== undefined) query.andWhere('o.at >= :from', { from: q.from });
    if (q.to !== undefined) query.andWhere('o.at <= :to', { to: q.to });
    return query.getManyAndCount();
  }

  /**
   * Keeps the newest `keep` values of an output, and the newest of every key whatever its age (the current state of
   * an asset that has not changed for long stays).
   */
  async trim(app: string, output: string, keep: number): Promise<number> {
    const edge = await this.manager.find(DataAppOutputEntity, {
      select: { seq: true },
      where: { app, output },
      order: { seq: 'DESC' },
      skip: keep,
      take: 1,
    });
    if (edge.length === 0) return 0;
    const result = await write(this.manager, (m) =>
      m
        .createQueryBuilder()
        .delete()
        .from(DataAppOutputEntity)
        .where('app = :app AND output = :output AND seq <= :edge', { app, output, edge: edge[0].seq })
        .andWhere(
          new Brackets((qb) =>
            qb.where(
              `seq NOT IN (SELECT MAX(n.seq) FROM data_app_outputs n WHERE n.app = :app AND n.output = :output AND n.key IS NOT NULL GROUP BY n.key)`,
            ),
          ),
        )
        .execute(),
    );
    return result.affected ?? 0;
  }
}
