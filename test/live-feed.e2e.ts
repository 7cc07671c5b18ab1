import assert from 'node:assert/strict';
import { request } from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { LiveFeed } from '../src/operations/live.feed.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { BulkyApp } from './support/test-data-apps.js';
import { waitFor } from './support/wait.js';

/**
 * Hardening round 3, finding 7: 500 server-sent-event clients that never read took the heap to 2.38 GB in 2 minutes,
 * and 300 that read cost half a core (a snapshot made for each of them at every tick).
 */
describe('the live page’s feed: bounded clients, bounded backlog, one snapshot per tick (e2e)', () => {
  let t: TestApp;
  let port: number;
  const children: ChildProcess[] = [];

  before(async () => {
    t = await startTestApp(
      { FEP_LIVE_PUSH_MS: '100', FEP_LIVE_MAX_CLIENTS: '40', FEP_LIVE_MAX_BACKLOG_BYTES: '262144', FEP_APPS_RESPONSE_HISTORY: '1' },
      { dataApps: [BulkyApp] },
    );
    // A snapshot of about 800 KB whose large value changes at every tick (the feed sends only what changed, so a
    // snapshot that stays the same would cost a deaf page nothing): what a page leaves unread piles up fast.
    assert.equal((await t.call('PUT', '/api/apps/bulky/config', { json: { kb: 400, everyMs: 100 } })).status, 200);
    assert.equal((await t.call('POST', '/api/apps/bulky/start')).json<{ state: string }>().state, 'running');
    await waitFor('the bulky value', async () => (await t.call('GET', '/api/live/snapshot')).text.length > 400_000);
    port = Number(new URL(t.baseUrl).port);
  });
  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await t.close();
  });

  /**
   * Clients that ask for the feed and never read a byte of it, with a 4 KiB receive buffer (SO_RCVBUF, which Node
   * cannot set: a Python process holds them), so that what they leave unread piles up at the server within seconds.
   */
  const deaf = async (count: number): Promise<void> => {
    const script = [
      'import socket, sys, time',
      'conns = []',
      `for _ in range(${count}):`,
      '    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)',
      '    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)',
      `    s.connect(("127.0.0.1", ${port}))`,
      `    s.sendall(b"GET /api/live/events HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: ${t.auth.authorization}\\r\\nAccept: text/event-stream\\r\\n\\r\\n")`,
      '    conns.append(s)',
      'print("connected", flush=True)',
      'time.sleep(120)',
    ].join('\n');
    const child = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the deaf clients' process exited (${code})`)));
    });
  };

  /** A client that reads: the snapshot events it got so far. */
  const reader = (): { events: () => number; close: () => void; status: Promise<number> } => {
    let events = 0;
    let close = (): void => undefined;
    const status = new Promise<number>((resolve) => {
      const req = request(`${t.baseUrl}/api/live/events`, { headers: t.auth }, (res) => {
        resolve(res.statusCode ?? 0);
        res.on(
          'data',
          (chunk: Buffer) => (events += chunk.toString().split('\nevent: ').length - 1 + (chunk.toString().startsWith('event: ') ? 1 : 0)),
        );
        res.on('error', () => undefined);
      });
      req.on('error', () => resolve(0));
      req.end();
      close = () => req.destroy();
    });
    return { events: () => events, close: () => close(), status };
  };

  it('closes the pages that do not read, keeps serving those that do, and makes one snapshot per tick for all', async () => {
    const feed = t.app.get(LiveFeed);
    const heap = process.memoryUsage().heapUsed;
    const readers = [reader(), reader(), reader()];
    for (const r of readers) assert.equal(await r.status, 200);
    await deaf(30);
    const started = Date.now();
    const snapshotsBefore = feed.stats.snapshots;
    await waitFor('the deaf pages closed', () => feed.stats.closedSlow >= 30, 30_000).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${JSON.stringify({ ...feed.stats, open: feed.open })}`);
    });
    const seconds = (Date.now() - started) / 1000;
    const made = feed.stats.snapshots - snapshotsBefore;
    // One per tick for all 33 pages (not one per page), give or take the first ones.
    assert.ok(made <= seconds * 10 + 20, `${made} snapshots in ${seconds.toFixed(1)} s for 33 pages`);
    for (const r of readers) assert.ok(r.events() > 2, `a reading page got ${r.events()} events`);
    const grown = (process.memoryUsage().heapUsed - heap) / 2 ** 20;
    assert.ok(grown < 64, `heap grew ${grown.toFixed(0)} MiB`);
    const before = readers.map((r) => r.events());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    readers.forEach((r, i) => assert.ok(r.events() > before[i], 'the readers still get snapshots'));
    console.log(
      `# 30 pages that never read closed within ${seconds.toFixed(1)} s; ${made} snapshots for 33 pages; heap +${grown.toFixed(0)} MiB`,
    );
    for (const r of readers) r.close();
  });

  it('refuses pages past FEP_LIVE_MAX_CLIENTS with 503, and the feed stops when no page is open', async () => {
    const feed = t.app.get(LiveFeed);
    await waitFor('earlier pages gone', () => feed.open === 0);
    const open = Array.from({ length: 40 }, () => reader());
    for (const r of open) assert.equal(await r.status, 200);
    const extra = reader();
    assert.equal(await extra.status, 503);
    for (const r of open) r.close();
    await waitFor('all closed', () => feed.open === 0);
    const made = feed.stats.snapshots;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(feed.stats.snapshots, made, 'no snapshot is made while no page is open');
  });
});
