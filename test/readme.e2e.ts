import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../src/common/project-root.js';
import { freePort } from './support/free-port.js';
import { send } from './support/http.client.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;

/** The README's shell examples: every ```sh block, in order. */
function shellBlocks(): string[] {
  const text = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1].trimEnd());
}

/**
 * Blocks that install or start things themselves: CI runs the first two, the pair demo is run on its own below, and
 * the compose file is read by test/docker.spec.ts (no Docker engine here).
 */
const COMMANDS = ['npm ci && npm start', 'npm ci && npm test', 'npm run demo:pair', 'docker compose -f docker/compose.yml up'];

interface Started {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** `npm start` as the README says, in the project folder; its data and certificates in `dir` (the settings). */
function npmStart(env: Record<string, string>): Started {
  // Its own process group, so that the stop reaches node under npm.
  const child = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return {
    child,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(-child.pid!, 'SIGTERM');
      }),
  };
}

describe('the README, as written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-readme-'));
  let port: number;
  let node: Started;
  let url: string;
  let env: Record<string, string>;

  /** True once the node `npm start` started answers `/health` (its dev CA exists by then); an exit is an error. */
  const answering = async (): Promise<boolean> => {
    if (node.child.exitCode !== null) throw new Error(`npm start exited: ${node.output()}`);
    try {
      const ca = readFileSync(join(dir, 'certs', 'dev-ca.crt.pem'), 'utf8');
      return (await send('GET', `${url}/health`, { ca })).status === 200;
    } catch {
      return false;
    }
  };

  before(async () => {
    port = await freePort();
    url = `https://localhost:${port}`;
    env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      FEP_PUBLIC_URL: url,
      FEP_DATA_DIR: join(dir, 'data'),
      FEP_CERTS_DIR: join(dir, 'certs'),
      FEP_DEMO_PLC_PORT: String(await freePort()),
      FEP_DEMO_CAMERA_PORT: String(await freePort()),
    };
    node = npmStart(env);
    // The first start builds dist/ (about 30 s on a fresh clone).
    await waitFor('npm start to answer', answering, 180_000);
  });
  after(async () => {
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has only these commands outside the examples, and the examples use nothing undefined', () => {
    const blocks = shellBlocks();
    assert.deepEqual(
      blocks.filter((b) => !b.startsWith('$') && !b.startsWith('curl ') && !/^[A-Z_]+=/.test(b)).sort(),
      [...COMMANDS].sort(),
      'a block that is neither an example (starting with $C or a variable) nor one of the commands',
    );
    assert.doesNotMatch(blocks.join('\n'), /<[a-zA-Z ]+>|\{\.\.\.|\.\.\.\}/, 'no placeholders');
  });

  it('every example block runs in order against the node npm start started, and a missing upload file is an error', async () => {
    const password = readFileSync(join(dir, 'data', 'admin-password'), 'utf8').trim();
    const ca = readFileSync(join(dir, 'certs', 'dev-ca.crt.pem'), 'utf8');
    const auth = { authorization: 'Basic ' + Buffer.from(`admin:${password}`).toString('base64') };
    // The examples read stored vibration windows: a node that has run for a few seconds has them.
    await waitFor('the demo vibration app to store windows', async () => {
      const page = (await send('GET', `${url}/api/apps/vibration/windows?asset=pump-1&size=1`, { ca, headers: auth })).json<Json>();
      return page.total > 0;
    });
    const examples = shellBlocks().filter((b) => !COMMANDS.includes(b));
    const script = [
      'set -euo pipefail',
      ...examples.flatMap((block, i) => [`echo "@@ block ${i + 1}" >&2`, block]),
      // The README says an upload of a missing file stops with an error instead of sending 0 bytes.
      `if $C -T does-not-exist.json -H 'content-type: application/octet-stream' $B/api/artifacts/$A/data; then echo "a missing file was uploaded" >&2; exit 3; fi`,
      `echo "@@ done" >&2`,
    ].join('\n');
    writeFileSync(join(dir, 'readme.sh'), script);
    // In the folder holding data/ and certs/, as the project folder does for `npm start`.
    const run = spawnSync('bash', [join(dir, 'readme.sh')], {
      cwd: dir,
      env: { ...process.env, FEP_PUBLIC_URL: url },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const blocks = [...run.stderr.matchAll(/@@ block (\d+)/g)];
    const last = blocks.at(-1)?.[1];
    assert.equal(
      run.status,
      0,
      `README block ${last ?? '?'} of ${examples.length} failed:\n${examples[Number(last) - 1] ?? ''}\n--- stderr ---\n${run.stderr.slice(-3000)}\n--- stdout ---\n${run.stdout.slice(-2000)}`,
    );
    assert.match(run.stderr, /@@ done/);
    assert.match(run.stderr, /curl: \(26\)/, 'curl refused the missing file');
    // What the examples did is there: the artifact was fetched and read back.
    const received = (await send('GET', `${url}/api/consumer/artifacts`, { ca, headers: auth })).json<Json>();
    assert.ok(received.items.length >= 1);
    assert.match(run.stdout, /\[\{"pump":"P-101","event":"bearing wear","zone":"C"\}\]/);
  });

  it('a second npm start builds nothing when no source changed', async () => {
    await node.stop();
    const first = node.output();
    node = npmStart(env);
    await waitFor('the second start', answering);
    assert.doesNotMatch(node.output(), /building dist|rebuilding dist/, node.output());
    assert.match(first + node.output(), /"event":"started"/);
  });

  it('npm run demo:pair walks through describe, negotiate, fetch and the usage logs, then stops both', async () => {
    const run = spawnSync('npm', ['run', 'demo:pair'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DEMO_PROVIDER_PORT: String(await freePort()), DEMO_CONSUMER_PORT: String(await freePort()) },
      encoding: 'utf8',
      timeout: 180_000,
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    for (const step of [
      'describes the provider',
      'negotiates the offer',
      'fetches the artifact',
      'usage logs',
      '1 of 3 uses spent',
      'stopped both',
    ]) {
      assert.ok(run.stdout.includes(step), `${step}:\n${run.stdout}`);
    }
  });
});
