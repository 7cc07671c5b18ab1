import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (where package.json is), found from this file so it works from dist/ and dist-test/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot();

/** A file under the static `resources/` folder (not `src/resources/`, the catalog feature). */
export function staticResource(...parts: string[]): string {
  return join(PROJECT_ROOT, 'resources', ...parts);
}
