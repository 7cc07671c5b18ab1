import type { EntityManager, EntityTarget, ObjectLiteral, QueryRunner } from 'typeorm';
import type { DataSource } from 'typeorm';
import { execSqlite } from './sqlite.calls.js';
import { inlineParameters } from './sqlite.literal.js';
import { exclusive } from './transaction.runner.js';

/**
 * Plain statements for the per-request hot path (a use's claim and record, audit rows). TypeORM's query builder
 * spends more CPU composing a statement than SQLite spends running it (about a tenth of an IDS exchange in the
 * profile, `npm run profile:exchange`): these take SQL written with `?` placeholders (numbered `$n` for
 * PostgreSQL) and the entity's own column metadata, and hand them straight to the query runner. Everywhere else the
 * repositories and the query builder stay.
 */
function placeholders(manager: EntityManager, sql: string): string {
  if (manager.connection.options.type !== 'postgres') return sql;
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

async function withRunner<R>(manager: EntityManager, work: (runner: QueryRunner) => Promise<R>): Promise<R> {
  if (manager.queryRunner !== undefined) return work(manager.queryRunner);
  const runner = manager.connection.createQueryRunner();
  try {
    return await work(runner);
  } finally {
    await runner.release();
  }
}

/** Runs one SELECT; its rows. */
export function select<T>(manager: EntityManager, sql: string, parameters: unknown[]): Promise<T[]> {
  return withRunner(manager, async (runner) => (await runner.query(placeholders(manager, sql), parameters)) as T[]);
}

/** Runs one UPDATE or DELETE; how many rows it changed. */
export function execute(manager: EntityManager, sql: string, parameters: unknown[]): Promise<number> {
  return withRunner(manager, async (runner) => {
    const result = (await runner.query(placeholders(manager, sql), parameters, true)) as { affected?: number | null };
    return result.affected ?? 0;
  });
}

/** One statement and its parameters, `?` placeholders. */
export interface Statement {
  sql: string;
  parameters: unknown[];
}

/**
 * One INSERT of `rows` into `entity`'s table: every column but generated ones, each value converted as TypeORM
 * would (booleans, simple-json, transformers); a value not given takes the column's default, else NULL (a default
 * that is an SQL expression is not applied: give such values).
 */
export function insertStatement<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, rows: Partial<T>[]): Statement {
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const columns = metadata.columns.filter((c) => !c.isGenerated);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const parameters: unknown[] = [];
  for (const row of rows) {
    for (const column of columns) {
      const value: unknown = column.getEntityValue(row);
      const given: unknown = value === undefined ? (typeof column.default === 'function' ? undefined : column.default) : value;
      parameters.push(given === undefined ? null : (driver.preparePersistentValue(given, column) as unknown));
    }
  }
  const sql = `INSERT INTO ${driver.escape(metadata.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`;
  return { sql, parameters };
}

/**
 * Runs statements in order, inside the caller's transaction. On SQLite several go in one `exec` call, their values
 * written as literals (sqlite.literal.ts): sqlite3 runs each call on its thread and comes back to the busy main
 * thread in between, so one call instead of three is most of a group commit's wait.
 */
export async function runAll(manager: EntityManager, statements: Statement[]): Promise<void> {
  if (statements.length === 0) return;
  if (statements.length > 1 && manager.connection.options.type === 'sqlite' && manager.queryRunner !== undefined) {
    await sqliteExec(manager.connection, statements.map((s) => inlineParameters(s.sql, s.parameters)).join(';\n'));
    return;
  }
  for (const { sql, parameters } of statements) {
    await withRunner(manager, (runner) => runner.query(placeholders(manager, sql), parameters));
  }
}

/** TypeORM's one sqlite3 connection: its `exec` runs several statements in one call. */
function sqliteExec(source: DataSource, sql: string): Promise<void> {
  return execSqlite((source.driver as unknown as { databaseConnection: Parameters<typeof execSqlite>[0] }).databaseConnection, sql);
}

/**
 * SQLite: `statements` as one transaction in one call (BEGIN, the statements, COMMIT), taking its turn in the one
 * write queue like any transaction (transaction.runner.ts). A failure rolls everything back before it rejects.
 */
export async function commitAll(source: DataSource, statements: Statement[]): Promise<void> {
  if (statements.length === 0) return;
  const body = statements.map((s) => inlineParameters(s.sql, s.parameters)).join(';\n');
  await exclusive(source, async () => {
    try {
      await sqliteExec(source, `BEGIN;\n${body};\nCOMMIT`);
    } catch (error) {
      // The failing statement left the transaction open (or its COMMIT failed): nothing of it may stay.
      await sqliteExec(source, 'ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/** One INSERT of `rows` into `entity`'s table (insertStatement). */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: Partial<T>[],
): Promise<void> {
  if (rows.length === 0) return;
  await runAll(manager, [insertStatement(manager, entity, rows)]);
}
