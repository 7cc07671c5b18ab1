import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { ConnectorError } from '../connector.error.js';
import { parseJson } from '../json.js';
import { BODY_MODE, type BodyMode } from './body.decorators.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b|^application\/ld\+json\b/i;

/** Reads a request body into memory, refusing more than `limit` bytes (413). */
export async function readBody(request: Request, limit: number, setting: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      // The rest is not read: the connection closes after the 413 instead of carrying on in the middle of a body.
      request.res?.setHeader('Connection', 'close');
      request.resume();
      throw new ConnectorError('PAYLOAD_TOO_LARGE', `request body too large (over ${limit} bytes, ${setting})`, 'body');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The admin API's JSON bodies, read after authentication (guards run first, so an anonymous client cannot make
 * the connector buffer anything) and bounded in size and nesting (`parseJson`). Routes that stream their body
 * say so with `@RawBody()`; the route decides, not a list of paths.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly limit: number,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const mode = this.reflector.getAllAndOverride<BodyMode | undefined>(BODY_MODE, [context.getHandler(), context.getClass()]) ?? 'json';
    const request = context.switchToHttp().getRequest<Request>();
    if (mode === 'raw' || request.body !== undefined || !hasBody(request)) return next.handle();
    if (mode === 'json' && !JSON_TYPE.test(request.headers['content-type'] ?? '')) return next.handle();
    return from(this.parse(request)).pipe(switchMap(() => next.handle()));
  }

  private async parse(request: Request): Promise<void> {
    const raw = await readBody(request, this.limit, 'FEP_MAX_JSON_BYTES');
    // An empty body stays undefined: a route that needs one says so (StrictValidationPipe).
    if (raw.length > 0) request.body = parseJson(raw, 'request body', 'body');
  }
}

function hasBody(request: Request): boolean {
  return (
    request.headers['transfer-encoding'] !== undefined ||
    (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0')
  );
}
