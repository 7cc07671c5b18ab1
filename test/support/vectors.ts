import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root.js';

/**
 * The third-party test vectors (information-model shapes and examples, TRUE Connector's messages and CI
 * collections): FEP_TEST_VECTORS, by default `../shared/vectors` beside the project. Never copied into it.
 */
export const VECTORS = resolve(process.env['FEP_TEST_VECTORS'] ?? join(PROJECT_ROOT, '..', 'shared', 'vectors'));

export const VECTORS_PRESENT = existsSync(VECTORS);

/** node:test options for a suite or test that needs the vectors: skipped, with one line saying why, without them. */
export function needsVectors(what: string): { skip?: string } {
  return VECTORS_PRESENT ? {} : { skip: `${what} needs the third-party vectors, not found at ${VECTORS} (set FEP_TEST_VECTORS)` };
}

export function vector(...parts: string[]): string {
  const path = join(VECTORS, ...parts);
  if (!existsSync(path)) throw new Error(`test vector ${path} is missing (FEP_TEST_VECTORS=${VECTORS})`);
  return path;
}
