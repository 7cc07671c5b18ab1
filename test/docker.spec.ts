import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { NODE_FLAGS } from '../src/common/node.flags.js';
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

  it("starts the connector with the process's V8 flags (src/common/node.flags.ts), as npm start does", () => {
    assert.deepEqual(JSON.parse(/^CMD (.*)$/m.exec(text)?.[1] ?? 'null'), ['node', ...NODE_FLAGS, 'dist/main.js']);
    const scripts = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    assert.ok(scripts['start'].endsWith(` node ${NODE_FLAGS.join(' ')} dist/main.js`), scripts['start']);
  });

  it('runs as a non-root user, with a health check on the readiness endpoint', () => {
    assert.ok(at(/^USER node$/) >= 0);
    assert.match(lines[at(/^HEALTHCHECK /)] ?? '', /\/health\/ready/);
  });
});

type Service = { command?: string[]; environment?: Record<string, string>; volumes?: string[]; depends_on?: unknown; ports?: string[] };

describe('docker/compose.yml (read, not run: no Docker engine here)', () => {
  const compose = parse(readFileSync(join(PROJECT_ROOT, 'docker', 'compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };
  const { services } = compose;

  it('has a provider and a consumer connector, the PLC simulator, the fake camera and the walk-through between them', () => {
    assert.deepEqual(Object.keys(services).sort(), ['camera', 'consumer', 'plc-sim', 'provider', 'walkthrough']);
  });

  it('the two connectors share one development CA through a volume mounted at their FEP_CERTS_DIR', () => {
    const certsVolume = (name: string): string | undefined => {
      const env = services[name].environment!;
      return services[name].volumes!.find((v) => v.endsWith(`:${env['FEP_CERTS_DIR']}`))?.split(':')[0];
    };
    assert.equal(certsVolume('provider'), 'dev-certs');
    assert.equal(certsVolume('consumer'), 'dev-certs');
    assert.equal(services['provider'].environment!['FEP_DAPS_MODE'], 'dev');
  });

  it('the provider runs the demo apps on the simulator containers, each by its service name', () => {
    const env = services['provider'].environment!;
    assert.equal(env['FEP_DEMO'], 'true');
    assert.equal(env['FEP_DEMO_PLC_HOST'], 'plc-sim');
    assert.equal(env['FEP_DEMO_CAMERA_HOST'], 'camera');
    assert.ok(services['plc-sim'].command!.includes(env['FEP_DEMO_PLC_PORT']));
    assert.ok(services['camera'].command!.includes(env['FEP_DEMO_CAMERA_PORT']));
  });

  it('every command is a compiled entry point of this project, and the order follows readiness', () => {
    for (const [name, service] of Object.entries(services)) {
      const script = (service.command ?? ['node', 'dist/main.js'])[1];
      const source = join(PROJECT_ROOT, script.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'));
      assert.ok(existsSync(source), `${name}: ${script} is built from ${source}`);
    }
    assert.deepEqual(services['consumer'].depends_on, { provider: { condition: 'service_healthy' } });
    assert.deepEqual(services['walkthrough'].depends_on, { consumer: { condition: 'service_healthy' } });
    assert.equal(services['walkthrough'].environment!['DEMO_PROVIDER_URL'], services['provider'].environment!['FEP_PUBLIC_URL']);
  });
});
