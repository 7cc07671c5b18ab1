import { DEFAULT_MAX_PIXELS } from './occupancy-config.parser.js';
import { loadSharp } from './sharp.loader.js';
import { letterboxOf, type Letterbox } from './yolo.decoder.js';

export interface PreparedFrame {
  /** RGB bytes of the model's square input, row by row (HWC). */
  rgb: Uint8Array;
  size: number;
  box: Letterbox;
}

/**
 * JPEG -> the detector's square input: decoded, scaled with a linear kernel (as the Ultralytics pipeline's
 * cv2.INTER_LINEAR) and padded with grey 114, by sharp (libvips) on libuv's threads, so it overlaps the previous
 * frame's inference in the worker thread and costs the event loop nothing. The pixels stay in memory only.
 */
export async function prepareFrame(jpeg: Uint8Array, size: number, maxPixels = DEFAULT_MAX_PIXELS): Promise<PreparedFrame> {
  const sharp = await loadSharp();
  // The frame's header was checked against maxPixels; libvips is bounded by it too (its own header reading).
  const image = sharp(jpeg, { failOn: 'error', limitInputPixels: maxPixels });
  const meta = await image.metadata();
  if (meta.width === undefined || meta.height === undefined) throw new Error('not an image');
  const box = letterboxOf(meta.width, meta.height, size);
  const w = Math.round(meta.width * box.scale);
  const h = Math.round(meta.height * box.scale);
  const data = await image
    .removeAlpha()
    .toColourspace('srgb')
    .resize(w, h, { fit: 'fill', kernel: 'linear' })
    .extend({ top: box.padY, bottom: size - h - box.padY, left: box.padX, right: size - w - box.padX, background: { r: 114, g: 114, b: 114 } })
    .raw()
    .toBuffer();
  if (data.length !== size * size * 3) throw new Error(`the frame came out as ${data.length} bytes, not ${size} x ${size} x 3`);
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), size, box };
}
