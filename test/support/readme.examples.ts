import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root.js';

/** The README's JSON examples by name: a ```json block right after `<!-- example: NAME -->`. */
export function readmeExamples(): Map<string, unknown> {
  const text = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const examples = new Map<string, unknown>();
  for (const m of text.matchAll(/<!-- example: ([\w-]+) -->\n```json\n([\s\S]*?)\n```/g)) examples.set(m[1], JSON.parse(m[2]));
  return examples;
}

/** The keys of an object, and of the objects inside it, as sorted paths (`evidence.limitsMmS.ab`). */
export function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value)
    .flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)])
    .sort();
}
