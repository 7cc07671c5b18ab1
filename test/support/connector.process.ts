import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_FLAGS } from '../../src/common/node.flags.js';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { freePort } from './free-port.js';
import { send } from './http.client.js';

/** How often a starting process is asked whether it answers yet. */
export const START_POLL_MS = 20;

/** A connector in a process of its own (the compiled main.js), as an operator runs it. */
export interface ConnectorProcess {
  child: ChildProcess;
  baseUrl: string;
  ca: string;
  log: () => string;
  /** Current and peak resident set size in bytes (Linux /proc). */
  memory(): { rss: number; peak: number };
  /** Resets the peak to the current RSS (Linux: write 5 to /proc/<pid>/clear_refs), so a step's own peak is seen. */
  resetPeak(): void;
  stop(): Promise<void>;
}

/**
 * A demo node in a process of its own (both apps on their simulators), on a free port, its files under `root`.
 * Port 0 for the simulated PLC and camera: they bind what the kernel gives them (a port found free here could be
 * taken before the node binds it; such a node is started once, so its stored demo configuration is never reused).
 */
export async function startDemoProcess(root: string, adminPassword: string, env: Record<string, string> = {}): Promise<ConnectorProcess> {
  const port = await freePort();
  return startConnectorProcess(
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      FEP_PUBLIC_URL: `https://127.0.0.1:${port}`,
      FEP_DATA_DIR: join(root, 'data'),
      FEP_CERTS_DIR: join(root, 'certs'),
      FEP_DEMO: 'true',
      FEP_DEMO_PLC_PORT: '0',
      FEP_DEMO_CAMERA_PORT: '0',
      FEP_DAPS_MODE: 'dev',
      FEP_ADMIN_PASSWORD: adminPassword,
      ...env,
    },
    join(root, 'certs'),
  );
}

/**
 * `caPem`: the CA of its TLS certificate; by default the dev CA generated into `certsDir`. `script`: another entry
 * point under dist-test (the connector with the tests' data apps compiled in, `test/support/plugin-connector.main.js`).
 * `nodeFlags`: the V8 flags it runs with (by default those of `npm start`, src/common/node.flags.ts).
 */
export async function startConnectorProcess(
  env: Record<string, string>,
  certsDir: string,
  caPem?: string,
  script = join('src', 'main.js'),
  nodeFlags: readonly string[] = NODE_FLAGS,
): Promise<ConnectorProcess> {
  const main = join(PROJECT_ROOT, 'dist-test', script);
  const child = spawn(process.execPath, [...nodeFlags, main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const baseUrl = env['FEP_PUBLIC_URL'];
  let ca = '';
  // Polled often, so that the bench's restart time is the process's and not the poll's (up to 20 s in all).
  for (let i = 0; i < 20_000 / START_POLL_MS; i++) {
    if (child.exitCode !== null) throw new Error(`connector exited: ${output}`);
    try {
      ca = caPem ?? readFileSync(join(certsDir, 'dev-ca.crt.pem'), 'utf8');
      if ((await send('GET', `${baseUrl}/`, { ca })).status === 200) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, START_POLL_MS));
  }
  const kb = (status: string, key: string): number => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return {
    child,
    baseUrl,
    ca,
    log: () => output,
    memory: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return { rss: kb(status, 'VmRSS'), peak: kb(status, 'VmHWM') };
    },
    resetPeak: () => writeFileSync(`/proc/${child.pid}/clear_refs`, '5'),
    stop: () =>
      new Promise((resolve) => {
        // Gone already: it exited, or a signal ended it (then exitCode stays null).
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
