import { staticResource } from '../../../common/project-root.js';
import { loadSharp } from '../sharp.loader.js';

/** The demo camera's photo (installed by `npm ci` from @vladmandic/human 3.3.6, MIT): a strip of portraits over a group. */
export const DEMO_PHOTO = staticResource('demo', 'camera', 'people.jpg');

/**
 * Four scenes cut out of the demo photo, 640 x 480 JPEGs: an empty ceiling, one person, a few, a crowd. The demo
 * camera shows them in turn, so the counts change (YOLOv8n at confidence 0.4 counts 0, 1, 3 and 5 in them).
 */
export async function demoFrames(photo = DEMO_PHOTO): Promise<Buffer[]> {
  const sharp = await loadSharp();
  const crop = (left: number, top: number, width: number, height: number): Promise<Buffer> =>
    sharp(photo).extract({ left, top, width, height }).resize(640, 480, { fit: 'cover' }).jpeg({ quality: 85 }).toBuffer();
  return Promise.all([crop(300, 190, 640, 150), crop(0, 0, 160, 145), crop(1120, 0, 160, 145), crop(0, 190, 1280, 968)]);
}
