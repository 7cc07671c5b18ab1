import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EncodedMessage } from './ids-transport.codec.js';

/**
 * Writes an encoded IDS message as an HTTP response, streaming the body. IDS replies (rejections too) are 200.
 * Node's own response: the IDS endpoint answers ahead of Express (FrontRoutes).
 */
export async function writeEncoded(res: ServerResponse, encoded: EncodedMessage, status = 200): Promise<void> {
  res.statusCode = status;
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
