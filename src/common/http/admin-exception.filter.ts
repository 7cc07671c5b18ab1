import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ConnectorError, storageFailure, type ErrorCode } from '../connector.error.js';
import { correlationId as currentCorrelation } from '../logging/correlation.js';

/** Admin API mapper #1 of 2: domain error code -> HTTP status (the IDS mapper is ids/messages/rejection.mapper). */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'BAD_INPUT':
    case 'MALFORMED_MESSAGE':
    case 'VERSION_NOT_SUPPORTED':
    case 'MESSAGE_TYPE_NOT_SUPPORTED':
      return 400;
    case 'NOT_AUTHENTICATED':
      return 401;
    case 'NOT_AUTHORIZED':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'REMOTE_ERROR':
      return 502;
    case 'TEMPORARILY_NOT_AVAILABLE':
      return 503;
    case 'INSUFFICIENT_STORAGE':
      return 507;
    case 'MISCONFIGURED':
    case 'INTERNAL':
      return 500;
  }
}

/** Errors from Express body parsing carry a 4xx `status` and a `type`; they are the client's mistakes. */
interface BodyParserError {
  status: number;
  type: string;
  message: string;
}
function isBodyParserError(error: unknown): error is BodyParserError {
  const e = error as Partial<BodyParserError>;
  return typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.type === 'string';
}

/** RFC 9457 titles by status: the `title` member of every admin error. */
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
};

/**
 * Every admin error in one format, `application/problem+json` (RFC 9457): `type` (the domain code as a URN, or
 * `about:blank`), `title`, `status`, `detail`, `instance` (the path), and, when known, `field` and `errors` (each
 * field with its reason). The members scripts read before (`statusCode`, `error`, `message`) stay.
 */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminApi');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const { status, body } = this.toWire(error);
    // Terminus's readiness report is a health document, not a problem: it keeps its own shape.
    if (body['status'] !== undefined && body['details'] !== undefined) {
      response.status(status).json(body);
      return;
    }
    const code = typeof body['error'] === 'string' ? body['error'] : undefined;
    const message = body['message'];
    const detail = Array.isArray(message)
      ? message.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join('; ')
      : typeof message === 'string'
        ? message
        : (TITLES[status] ?? 'error');
    const problem = {
      type: code !== undefined && /^[A-Z_]+$/.test(code) ? `urn:fep-connector:error:${code}` : 'about:blank',
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      instance: http.getRequest<Request>().originalUrl.split('?')[0],
      ...body,
      statusCode: status,
      message: detail,
    };
    response.status(status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toWire(caught: unknown): { status: number; body: Record<string, unknown> } {
    // A full disk is named as such (507, RFC 4918 section 11.5), not hidden behind a bare 500.
    const error = caught instanceof ConnectorError ? caught : (storageFailure(caught) ?? caught);
    if (error instanceof ConnectorError) {
      const status = httpStatusOf(error.code);
      if (status >= 500) this.logger.warn(`${error.code}: ${error.message}`);
      // A configuration error is not hidden behind "internal error": the message says what to fix.
      return {
        status,
        body: {
          error: error.code,
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
          ...(error.problems ? { errors: error.problems } : {}),
        },
      };
    }
    if (error instanceof HttpException) {
      const response = error.getResponse();
      const body = typeof response === 'string' ? { message: response } : (response as Record<string, unknown>);
      return { status: error.getStatus(), body };
    }
    if (isBodyParserError(error)) {
      const message = error.type === 'entity.too.large' ? 'request body too large (FEP_MAX_JSON_BYTES)' : `body: ${error.message}`;
      return { status: error.status, body: { error: error.type, message, field: 'body' } };
    }
    const correlationId = currentCorrelation() ?? randomUUID();
    this.logger.error(`unexpected error ${correlationId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { status: 500, body: { message: 'internal error', correlationId } };
  }
}
