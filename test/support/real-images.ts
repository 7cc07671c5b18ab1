import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { DEFAULT_MODEL } from '../../src/data-apps/occupancy/occupancy.app.js';

/** Real photos with people (Debian's darknet and opencv-doc): `.ci/fetch-test-images` puts them here. */
export const IMAGES = resolve(process.env['FEP_TEST_IMAGES'] ?? join(PROJECT_ROOT, 'test', '.images'));

export function image(name: string): string {
  return join(IMAGES, name);
}

/** 40 frames of vtest.avi (a pedestrian scene, 3 to 8 people a frame). */
export function vtestFrames(): string[] {
  const dir = join(IMAGES, 'vtest');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.jpg'))
        .sort()
        .map((f) => join(dir, f))
    : [];
}

/** node:test options for what needs the real detector and the real images: skipped, saying why, without them. */
export function needsRealDetector(what: string): { skip?: string } {
  if (!existsSync(DEFAULT_MODEL)) return { skip: `${what} needs ${DEFAULT_MODEL} (npm ci installs it; npm run assets:fetch)` };
  if (!existsSync(image('person.jpg')) || vtestFrames().length === 0) {
    return { skip: `${what} needs the real test images in ${IMAGES} (.ci/fetch-test-images)` };
  }
  return {};
}
