import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EncodedMessage } from './ids-transport.codec.js';

/** Writes an encoded IDS message as an HTTP response, streaming the body. IDS replies (rejections too) are 200. */
export async function writeEncoded(res: Response, encoded: EncodedMessage, status = 200): Promise<void> {
  res.status(status);
  for (const [name, value] of Object.entries(encoded.headers)) res.setHeader(name, value);
  const body = encoded.body;
  if (body === null) {
    res.end();
    return;
  }
  if (body instanceof Readable) {
    await pipeline(body, res).catch(() => res.destroy());
    return;
  }
  res.end(body);
}
