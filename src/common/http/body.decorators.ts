import { SetMetadata } from '@nestjs/common';

export const BODY_MODE = 'fep:bodyMode';

/**
 * How a route reads its request body. Default: a JSON (or JSON-LD) body is parsed by `JsonBodyInterceptor`
 * when the Content-Type says JSON. `raw`: the handler reads the stream itself (IDS messages, uploads).
 * `json-any-type`: JSON whatever the Content-Type says (TRUE's tools post JSON as text/plain).
 */
export type BodyMode = 'json' | 'raw' | 'json-any-type';

/** The handler streams the request body itself; nothing is parsed or buffered before it runs. */
export const RawBody = (): MethodDecorator & ClassDecorator => SetMetadata(BODY_MODE, 'raw' satisfies BodyMode);

/** The body is JSON even when the client labels it otherwise (TRUE's `/proxy` callers send text/plain). */
export const JsonBodyAnyType = (): MethodDecorator & ClassDecorator => SetMetadata(BODY_MODE, 'json-any-type' satisfies BodyMode);
