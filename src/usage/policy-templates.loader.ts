import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../common/project-root.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import type { UsagePattern } from './patterns/usage-pattern.contract.js';

export const POLICIES_DIR = join(PROJECT_ROOT, 'policies');

/** Reads a pattern's offer template from `policies/`; a missing or broken template is a boot error. */
export function loadTemplate(pattern: UsagePattern, dir = POLICIES_DIR): JsonLd {
  const file = join(dir, pattern.template);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JsonLd;
  } catch (error) {
    throw new Error(
      `usage pattern ${pattern.name}: template ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
