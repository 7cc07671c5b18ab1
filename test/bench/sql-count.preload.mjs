// Preloaded into a connector process by `npm run profile:statements` (node --import): appends every SQL statement
// sqlite3 is given to $FEP_SQL_LOG while the file $FEP_SQL_LOG.on exists. For measuring, never for production.
import { appendFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(`${process.cwd()}/package.json`);
const sqlite3 = require('sqlite3');
const out = process.env.FEP_SQL_LOG;
for (const method of ['run', 'all', 'get', 'exec', 'prepare', 'each']) {
  const original = sqlite3.Database.prototype[method];
  sqlite3.Database.prototype[method] = function (sql, ...rest) {
    if (out && existsSync(`${out}.on`)) appendFileSync(out, `${String(sql).replace(/\s+/g, ' ').slice(0, 100)}\n`);
    return original.call(this, sql, ...rest);
  };
}
