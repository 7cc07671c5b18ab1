import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_MODEL } from '../src/data-apps/occupancy/occupancy.app.js';
import { detectJpeg } from './support/detector.js';
import { image, needsRealDetector, vtestFrames } from './support/real-images.js';

const run = (file: string, confidence = 0.25): ReturnType<typeof detectJpeg> =>
  detectJpeg(new Uint8Array(readFileSync(file)), DEFAULT_MODEL, { confidence });

/** The real YOLOv8n (as npm ci installs it) on real photos from Debian's darknet and opencv-doc packages. */
describe('the person detector on real images', needsRealDetector('the real-detector test'), () => {
  it('finds the one person of darknet’s person.jpg (beside a horse and a dog), and nobody in dog.jpg', async () => {
    const person = await run(image('person.jpg'));
    assert.equal(person.boxes.filter((b) => b.score >= 0.5).length, 1);
    assert.equal(person.box.width, 640);
    const dog = await run(image('dog.jpg'));
    assert.equal(dog.boxes.length, 0, 'a dog, a bicycle and a car are no people');
  });

  it('counts the pedestrians of opencv’s vtest.avi, frame by frame (3 to 10 as measured; the scene changes)', async () => {
    const counts: number[] = [];
    for (const frame of vtestFrames()) counts.push((await run(frame)).boxes.length);
    assert.equal(counts.length, 40);
    assert.ok(
      counts.every((c) => c >= 3 && c <= 10),
      counts.join(','),
    );
    assert.ok(Math.max(...counts) - Math.min(...counts) >= 3, 'the counts follow the scene');
  });
});
