import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root.js';

/** The third-party test vectors, beside the project as ../shared/vectors (never copied into it). */
export const VECTORS = join(PROJECT_ROOT, '..', 'shared', 'vectors');

export function vector(...parts: string[]): string {
  const path = join(VECTORS, ...parts);
  if (!existsSync(path)) throw new Error(`test vector ${path} is missing: the tests expect ../shared/vectors beside the project`);
  return path;
}
