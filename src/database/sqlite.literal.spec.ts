import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import sqlite3 from 'sqlite3';
import { inlineParameters, sqliteLiteral } from './sqlite.literal.js';

const db = new sqlite3.Database(':memory:');
const exec = (sql: string): Promise<void> => new Promise((resolve, reject) => db.exec(sql, (e) => (e === null ? resolve() : reject(e))));
const all = (sql: string): Promise<{ v: unknown; t: string }[]> =>
  new Promise((resolve, reject) =>
    db.all(sql, (e: Error | null, rows: { v: unknown; t: string }[]) => (e === null ? resolve(rows) : reject(e))),
  );

describe('SQLite literals for a batch sent in one exec', () => {
  it('reads back exactly what was written, whatever the string holds (quotes, NUL, backslashes, any Unicode)', async () => {
    const strings = [
      '',
      "it's",
      "''; DROP TABLE t; --",
      'a\0b',
      '\0',
      'back\\slash\\',
      'ünïcødé 😀 ‮',
      '?',
      'line\nbreak\r\n',
      ...Array.from({ length: 200 }, () =>
        String.fromCodePoint(
          ...Array.from(randomBytes(24), (b, i) => (i % 3 === 0 ? b : i % 3 === 1 ? 0x20 + (b % 0x60) : 0x400 + b * 17)),
        ),
      ),
    ];
    await exec('CREATE TABLE t (i INTEGER, v)');
    await exec(strings.map((s, i) => inlineParameters('INSERT INTO t (i, v) VALUES (?, ?)', [i, s])).join(';\n'));
    const rows = await all('SELECT v, typeof(v) AS t FROM t ORDER BY i');
    assert.equal(rows.length, strings.length, 'every statement ran, none was cut short');
    rows.forEach((row, i) => {
      assert.equal(row.t, 'text');
      assert.equal(row.v, strings[i], `string ${i}`);
    });
    assert.equal((await all("SELECT count(*) AS v, 'x' AS t FROM sqlite_master WHERE name = 't'"))[0].v, 1, 'the table is still there');
  });

  it('writes numbers, NULL, booleans and bytes with their SQLite types, and refuses what has no literal', async () => {
    await exec('CREATE TABLE n (i INTEGER, v)');
    const values = [0, -7, 2 ** 53 - 1, 1.5, null, true, Buffer.from([0, 39, 255])];
    await exec(values.map((v, i) => inlineParameters('INSERT INTO n VALUES (?, ?)', [i, v])).join(';'));
    const rows = await all('SELECT v, typeof(v) AS t FROM n ORDER BY i');
    assert.deepEqual(
      rows.map((r) => r.t),
      ['integer', 'integer', 'integer', 'real', 'null', 'integer', 'blob'],
    );
    assert.deepEqual(rows[6].v, Buffer.from([0, 39, 255]));
    assert.throws(() => sqliteLiteral(Number.NaN), TypeError);
    assert.throws(() => sqliteLiteral({}), TypeError);
    assert.throws(() => inlineParameters('VALUES (?, ?)', [1]), RangeError);
    assert.throws(() => inlineParameters('VALUES (?)', [1, 2]), RangeError);
  });
});
