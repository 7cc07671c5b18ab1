/**
 * `npm run camera-sim -- [--port 18554] [--host 127.0.0.1] [--hold 20]`: the demo's fake IP camera on its own
 * (the compose file's `camera` service), until Ctrl-C: `GET /snapshot.jpg` and `GET /stream` (MJPEG), showing the
 * four scenes of the demo photo in turn, `--hold` seconds each.
 */
import { parseArgs } from 'node:util';
import { demoFrames } from './demo-frames.js';
import { FakeCamera } from './fake-camera.server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '18554' },
    host: { type: 'string', default: '127.0.0.1' },
    hold: { type: 'string', default: '20' },
  },
});

const port = Number(values.port);
const hold = Number(values.hold);
if (!Number.isInteger(port) || port < 0 || port > 65_535 || !(hold > 0)) {
  console.error(`--port must be a TCP port and --hold a positive number of seconds, got ${values.port} and ${values.hold}`);
  process.exit(2);
}
const camera = await new FakeCamera({ host: values.host, port, frames: await demoFrames(), holdMs: hold * 1000 }).start();
console.log(`fake camera at ${camera.url}/snapshot.jpg and ${camera.url}/stream (a new scene every ${hold} s); Ctrl-C stops it`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void camera.stop().then(() => process.exit(0)));
}
