/**
 * Rewrites the README's configuration table from the declared settings (`npm run settings:readme`). A unit spec
 * checks the two agree, so the table cannot drift from the code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { SETTINGS } from '../../src/app.settings.js';

const MARKER = '<!-- settings:';
const file = join(PROJECT_ROOT, 'README.md');
const lines = readFileSync(file, 'utf8').split('\n');
const start = lines.findIndex((line) => line.startsWith(MARKER));
if (start < 0) throw new Error(`README.md has no "${MARKER}" line`);
let end = start + 1;
while (end < lines.length && lines[end].startsWith('|')) end++;
const table = [
  '| variable | default | meaning |',
  '|---|---|---|',
  ...SETTINGS.map((s) => `| \`${s.env}\` | ${s.default} | ${s.meaning} |`),
];
lines.splice(start + 1, end - start - 1, ...table);
writeFileSync(file, lines.join('\n'));
console.log(`README.md: ${SETTINGS.length} settings`);
