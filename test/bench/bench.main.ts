/**
 * `npm run bench`: runs the benchmark sections (all, or those named in BENCH_SECTIONS, comma-separated) and writes
 * each into docs/benchmarks.md between its markers, with the machine, the date and the load average before and
 * after it; sections not run keep their last figures.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { load } from './bench.support.js';
import { dataAppsBench } from './data-apps.bench.js';
import { exchangeBench } from './exchange.bench.js';
import { occupancyBench } from './occupancy.bench.js';
import { resultsBench } from './results.bench.js';
import { transferBench } from './transfer.bench.js';

const SECTIONS: Record<string, () => Promise<string>> = {
  exchange: exchangeBench,
  transfer: transferBench,
  'data-apps': dataAppsBench,
  occupancy: occupancyBench,
  results: resultsBench,
};
const FILE = join(PROJECT_ROOT, 'docs', 'benchmarks.md');
const HEAD = `# Benchmarks

Produced by \`npm run bench\` (\`test/bench/\`); \`BENCH_SECTIONS=data-apps npm run bench\` re-runs one section. Each
section names the machine, the date and the 1-minute load average before and after it: these machines are shared,
so figures are compared within a section (a ratio to the bare baseline of the same run), not across runs.
`;

function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 1024 ** 3)} GiB RAM, ${platform()} ${release()} ${arch()}, Node ${process.version}`;
}

function place(doc: string, name: string, body: string): string {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  return from >= 0 && to > from ? doc.slice(0, from) + block + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
}

async function main(): Promise<void> {
  const chosen = (process.env['BENCH_SECTIONS'] ?? Object.keys(SECTIONS).join(',')).split(',').map((s) => s.trim());
  for (const name of chosen) {
    if (!(name in SECTIONS)) throw new Error(`unknown section ${name}; known: ${Object.keys(SECTIONS).join(', ')}`);
  }
  for (const name of chosen) {
    const before = load();
    console.log(`== ${name} (load ${before})`);
    const body = await SECTIONS[name]();
    const stamp = `Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Load average: ${before} before, ${load()} after.`;
    const [title, ...rest] = body.trim().split('\n');
    let doc = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEAD;
    if (!doc.includes('<!-- bench:')) doc = HEAD; // the first run of the sectioned format
    writeFileSync(FILE, place(doc, name, [title, '', stamp, ...rest].join('\n')));
    console.log(`wrote the ${name} section of docs/benchmarks.md`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
