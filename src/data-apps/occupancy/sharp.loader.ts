import type { Sharp, SharpOptions } from 'sharp';

type SharpFactory = (input?: Buffer | Uint8Array | string, options?: SharpOptions) => Sharp;
let loaded: Promise<SharpFactory> | undefined;

/**
 * sharp (libvips) loaded when the occupancy app first needs it, not when the connector boots: the native library
 * costs about 30 MiB of RSS, which a node that runs no camera should not pay. Its cache is off (frames are used once
 * and must not linger).
 */
export function loadSharp(): Promise<SharpFactory> {
  loaded ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    return sharp;
  });
  return loaded;
}
