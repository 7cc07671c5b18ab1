import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { ModbusLink } from './modbus.link.js';

/** A TCP server on 127.0.0.1 that does `serve` with each connection, counting them. */
async function server(serve: (socket: Socket) => void): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const s: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    serve(socket);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return {
    port: (s.address() as AddressInfo).port,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}

/** Reads as a vibration app's reader does, for `ms`: each failure waits a poll interval (50 ms) and asks again. */
async function hammer(link: ModbusLink, ms: number): Promise<{ ok: number; failed: number; errors: Set<string> }> {
  const until = Date.now() + ms;
  const result = { ok: 0, failed: 0, errors: new Set<string>() };
  while (Date.now() < until) {
    try {
      await link.read('holding', 0, 10);
      result.ok++;
    } catch (error) {
      result.failed++;
      result.errors.add((error as Error).message.replace(/\d+/g, 'N'));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return result;
}

describe('ModbusLink against misbehaving peers (real sockets)', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('malformed answers back off (0.5 s doubling), never reconnecting at once', async () => {
    // Hardening round 3, finding 10: malformed replies reconnected at once, 1,713 times in 22 s for four assets.
    const peer = await server((socket) => {
      socket.on('data', (request: Buffer) => {
        // The request's transaction id, a length of 3, then a byte count of 200 with no bytes after it.
        const reply = Buffer.from([request[0], request[1], 0, 0, 0, 3, request[6], 0x03, 200]);
        socket.write(reply);
      });
    });
    closers.push(peer.close);
    const link = new ModbusLink({ host: '127.0.0.1', port: peer.port, unitId: 1, timeoutMs: 300, pollMs: 50 });
    closers.push(() => link.close());
    const result = await hammer(link, 3500);
    assert.equal(result.ok, 0);
    // 0 s, then after 0.5, 1 and 2 s: at most 4 connections in 3.5 s (there were about 300 before).
    assert.ok(peer.connections() <= 5, `${peer.connections()} connections in 3.5 s`);
    assert.equal(link.state, 'reconnecting');
    console.log(`# malformed answers: ${peer.connections()} connections in 3.5 s, ${result.failed} failed reads (${[...result.errors].join('; ')})`);
  });

  it('a peer streaming junk is dropped, and reconnected with backoff', async () => {
    const peer = await server((socket) => {
      const junk = Buffer.alloc(16 * 1024, 0x5a);
      const timer = setInterval(() => {
        if (!socket.destroyed) socket.write(junk);
      }, 2);
      socket.on('close', () => clearInterval(timer));
    });
    closers.push(peer.close);
    const link = new ModbusLink({ host: '127.0.0.1', port: peer.port, unitId: 1, timeoutMs: 300, pollMs: 50 });
    closers.push(() => link.close());
    const result = await hammer(link, 3000);
    assert.equal(result.ok, 0);
    assert.ok(peer.connections() <= 5, `${peer.connections()} connections in 3 s`);
    assert.ok(
      [...result.errors].some((e) => /more than the answers asked for/.test(e)) || /more than the answers asked for/.test(link.lastError ?? ''),
      [...result.errors].join('; '),
    );
  });
});
