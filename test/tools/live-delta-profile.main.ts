/**
 * `node dist-test/test/tools/live-delta-profile.main.js`: where the live feed's bytes go on the demo node (bytes of
 * its deltas by path, two levels deep, over 30 s): what to look at when the feed grows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoProcess } from '../support/connector.process.js';

const root = mkdtempSync(join(tmpdir(), 'fep-live-profile-'));
const password = 'live-profile-secret';
const node = await startDemoProcess(root, password);
const headers = { authorization: 'Basic ' + Buffer.from(`admin:${password}`).toString('base64') };
await new Promise((r) => setTimeout(r, Number(process.env['WARM_S'] ?? 40) * 1000));
const totals = new Map<string, number>();
let buffer = '';
const walk = (delta: any, path: string, depth: number): void => {
  if (depth > 0 && delta && typeof delta === 'object' && ('o' in delta || 'i' in delta)) {
    for (const [k, d] of Object.entries((delta.o ?? delta.i) as Record<string, unknown>)) walk(d, `${path}/${k}`, depth - 1);
    return;
  }
  totals.set(path, (totals.get(path) ?? 0) + JSON.stringify(delta).length);
};
const req = request(`${node.baseUrl}/api/live/events`, { ca: node.ca, headers }, (res) => {
  res.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!message.startsWith('event: delta')) continue;
      walk(JSON.parse(message.slice(message.indexOf('data: ') + 6)), '', Number(process.env['DEPTH'] ?? 6));
    }
  });
});
req.end();
await new Promise((r) => setTimeout(r, 30_000));
req.destroy();
for (const [path, bytes] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`${(bytes / 30).toFixed(0).padStart(7)} B/s  ${path}`);
}
await node.stop();
rmSync(root, { recursive: true, force: true });
