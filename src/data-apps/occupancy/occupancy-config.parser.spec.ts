import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOccupancyConfig, redactOccupancyConfig, REDACTED, restoreOccupancySecrets } from './occupancy-config.parser.js';

const camera = (source: unknown, extra: Record<string, unknown> = {}): unknown => ({ cameras: [{ id: 'lobby', source, ...extra }] });

function problems(raw: unknown): Record<string, string> {
  const parsed = parseOccupancyConfig(raw);
  assert.equal(parsed.ok, false);
  return Object.fromEntries((parsed as { problems: { field: string; reason: string }[] }).problems.map((p) => [p.field, p.reason]));
}

/** Two cameras with passwords: one inline, one in its RTSP URL. */
const WITH_PASSWORDS = {
  cameras: [
    { id: 'lobby', source: { kind: 'snapshot', url: 'http://cam/s.jpg', auth: { user: 'admin', password: 's3cret' } } },
    { id: 'door', source: { kind: 'rtsp', url: 'rtsp://admin:pa55@cam/stream1' } },
  ],
};

describe('occupancy app configuration', () => {
  it('takes a snapshot camera with defaults: one zone over the whole image', () => {
    const parsed = parseOccupancyConfig(camera({ kind: 'snapshot', url: 'http://cam.local/snapshot.jpg' }));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.config.cameras[0].zones, [{ id: 'all', polygon: null }]);
    assert.deepEqual(parsed.config.detection, { model: null, confidence: 0.4, iou: 0.45, threads: 1 });
    const again = parseOccupancyConfig(JSON.parse(JSON.stringify(parsed.config)));
    assert.ok(again.ok && JSON.stringify(again.config) === JSON.stringify(parsed.config), 'what is stored reads back the same');
  });

  it('names each bad field', () => {
    const found = problems({
      cameras: [
        { id: 'a', source: { kind: 'snapshot', url: 'ftp://x/y' }, zones: [{ id: 'z', polygon: [[0, 0], [1]] }] },
        { id: 'b', source: { kind: 'mjpeg', url: 'http://user:pw@cam/stream' } },
        { id: 'c', source: { kind: 'rtsp', url: 'http://not-rtsp' } },
        { id: 'd', source: { kind: 'snapshot', url: 'http://cam/s.jpg', auth: { user: 'u' } } },
      ],
      detection: { confidence: 2 },
    });
    assert.match(found['cameras[0].source.url'], /must be a http or https URL/);
    assert.match(found['cameras[0].zones[0].polygon'], /3 to 64 entries/);
    assert.match(found['cameras[0].zones[0].polygon[1]'], /\[x, y\]/);
    assert.match(found['cameras[1].source.url'], /must not carry credentials/);
    assert.match(found['cameras[2].source.url'], /must match/);
    assert.match(found['cameras[3].source.auth'], /password or passwordFile/);
    assert.match(found['detection.confidence'], /between 0.01 and 1/);
  });

  it('shows passwords redacted, and a configuration sent back redacted keeps the stored password', () => {
    const parsed = parseOccupancyConfig(WITH_PASSWORDS);
    assert.ok(parsed.ok);
    const shown = redactOccupancyConfig(parsed.config);
    assert.doesNotMatch(JSON.stringify(shown), /s3cret|pa55/);
    assert.match(JSON.stringify(shown), new RegExp(REDACTED.replace(/\*/g, '\\*')));
    const back = parseOccupancyConfig(JSON.parse(JSON.stringify(shown)));
    assert.ok(back.ok);
    const restored = restoreOccupancySecrets(back.config, parsed.config);
    assert.deepEqual(restored, parsed.config);
  });

  it('a redacted password never follows a changed host: the camera then has no password, and the RTSP URL keeps the mark', () => {
    const parsed = parseOccupancyConfig(WITH_PASSWORDS);
    assert.ok(parsed.ok);
    const shown = redactOccupancyConfig(parsed.config);
    const moved = JSON.parse(JSON.stringify(shown).replace('http://cam/', 'http://attacker.example:8080/').replace('@cam/', '@attacker.example/'));
    const back = parseOccupancyConfig(moved);
    assert.ok(back.ok);
    const restored = restoreOccupancySecrets(back.config, parsed.config);
    assert.doesNotMatch(JSON.stringify(restored), /s3cret|pa55/);
    const lobby = restored.cameras[0].source;
    assert.ok(lobby.kind === 'snapshot' && lobby.auth?.password === null);
    // The same host with another path keeps it (the camera's snapshot URI changed).
    const samePlace = parseOccupancyConfig(JSON.parse(JSON.stringify(shown).replace('http://cam/s.jpg', 'http://cam/ISAPI/snap.jpg')));
    assert.ok(samePlace.ok);
    assert.match(JSON.stringify(restoreOccupancySecrets(samePlace.config, parsed.config)), /s3cret/);
  });
});
