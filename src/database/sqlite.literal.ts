/**
 * SQL literals for SQLite (SQLite's "SQL As Understood By SQLite", literal values): for a batch of statements sent
 * in one `exec` call, which takes no bound parameters. Inside a string literal only the single quote is special
 * (doubled; backslashes mean nothing), so quoting is complete; a string holding U+0000, which would end the C string
 * `sqlite3_exec` reads, goes as the UTF-8 bytes of a blob cast to TEXT instead.
 */
export function sqliteLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') {
    return value.includes('\0') ? `CAST(X'${Buffer.from(value, 'utf8').toString('hex')}' AS TEXT)` : `'${value.replaceAll("'", "''")}'`;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`no SQL literal for the number ${value}`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (Buffer.isBuffer(value)) return `X'${value.toString('hex')}'`;
  throw new TypeError(`no SQL literal for a ${typeof value}`);
}

/** `sql` with each `?` placeholder replaced by its parameter as a literal (the statements' text has no `?` of its own). */
export function inlineParameters(sql: string, parameters: readonly unknown[]): string {
  let next = 0;
  const text = sql.replace(/\?/g, () => {
    if (next >= parameters.length) throw new RangeError('more placeholders than parameters');
    return sqliteLiteral(parameters[next++]);
  });
  if (next !== parameters.length) throw new RangeError('more parameters than placeholders');
  return text;
}
