import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../src/common/project-root.js';

/** No Docker engine runs here: the image's recipe is checked by reading it. */
describe('docker/Dockerfile (read, not built: no Docker engine here)', () => {
  const text = readFileSync(join(PROJECT_ROOT, 'docker', 'Dockerfile'), 'utf8');
  const lines = text.split('\n');
  const at = (pattern: RegExp): number => lines.findIndex((l) => pattern.test(l));

  it('builds on a supported Node LTS, not Node 20 (end of life in April 2026)', () => {
    const images = lines.filter((l) => l.startsWith('FROM ')).map((l) => /node:(\d+)/.exec(l)?.[1]);
    assert.equal(images.length, 2);
    for (const major of images) assert.ok(Number(major) >= 22 && Number(major) % 2 === 0, `node:${major}`);
  });

  it('runs npm ci with the assets installer and resources/ in place, and ships the resources it fetched', () => {
    const installer = at(/^COPY src\/data-apps\/occupancy\/assets\.installer\.mjs /);
    const resources = at(/^COPY resources /);
    const ci = at(/^RUN npm ci/);
    assert.ok(installer >= 0 && resources >= 0 && installer < ci && resources < ci, 'the postinstall finds its script and target');
    assert.ok(at(/^COPY --from=build \/app\/resources /) > ci, 'the runtime stage takes resources/ from the build stage');
  });

  it('runs as a non-root user, with a health check', () => {
    assert.ok(at(/^USER node$/) >= 0);
    assert.ok(at(/^HEALTHCHECK /) >= 0);
  });
});
