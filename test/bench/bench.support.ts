import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { NODE_FLAGS } from '../../src/common/node.flags.js';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { send } from '../support/http.client.js';

export interface SpawnedConnector {
  child: ChildProcess;
  baseUrl: string;
  stop(): Promise<void>;
}

/** Starts a compiled script of dist-test (a connector with extra apps) on plain HTTP and waits for its answer. */
export async function spawnConnector(script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<SpawnedConnector> {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...nodeArgs, join(PROJECT_ROOT, 'dist-test', script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const baseUrl = env['FEP_PUBLIC_URL'];
  for (let i = 0; ; i++) {
    if (child.exitCode !== null || i > 300) throw new Error(`the connector did not start: ${output}`);
    const up = await send('GET', `${baseUrl}/`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    baseUrl,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The load average as the section's header states it ("1-minute load / cores"). */
export function load(): string {
  return `${loadavg()[0].toFixed(2)} on ${cpus().length} cores`;
}
