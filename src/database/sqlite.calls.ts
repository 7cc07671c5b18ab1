import sqlite3 from 'sqlite3';

/**
 * sqlite3's callback calls as promises, typed on the part of a connection each uses (so that fakes and TypeORM's
 * driver connection fit): the one place the connector wraps them.
 */
export function openSqlite(file: string, mode?: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const opened = (error: Error | null): void => (error === null ? resolve(database) : reject(error));
    const database = mode === undefined ? new sqlite3.Database(file, opened) : new sqlite3.Database(file, mode, opened);
  });
}

/** Runs `sql`, which may hold several statements; no rows. */
export function execSqlite(
  connection: { exec(sql: string, callback: (error: Error | null) => void): unknown },
  sql: string,
): Promise<void> {
  return new Promise((resolve, reject) => connection.exec(sql, (error) => (error === null ? resolve() : reject(error))));
}

/** Runs one statement; its rows. */
export function allSqlite<T>(
  connection: { all(sql: string, callback: (error: Error | null, rows: unknown[]) => void): unknown },
  sql: string,
): Promise<T[]> {
  return new Promise((resolve, reject) => connection.all(sql, (error, rows) => (error === null ? resolve(rows as T[]) : reject(error))));
}

export function closeSqlite(connection: { close(callback: (error: Error | null) => void): unknown }): Promise<void> {
  return new Promise((resolve, reject) => connection.close((error) => (error === null ? resolve() : reject(error))));
}
