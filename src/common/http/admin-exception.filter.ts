import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ConnectorError, type ErrorCode } from '../connector.error.js';

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

@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminApi');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const { status, body } = this.toWire(error);
    response.status(status).json(body);
  }

  private toWire(error: unknown): { status: number; body: Record<string, unknown> } {
    if (error instanceof ConnectorError) {
      const status = httpStatusOf(error.code);
      if (status >= 500) this.logger.warn(`${error.code}: ${error.message}`);
      // A configuration error is not hidden behind "internal error": the message says what to fix.
      return {
        status,
        body: { statusCode: status, error: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
      };
    }
    if (error instanceof HttpException) {
      const response = error.getResponse();
      const body =
        typeof response === 'string' ? { statusCode: error.getStatus(), message: response } : (response as Record<string, unknown>);
      return { status: error.getStatus(), body };
    }
    if (isBodyParserError(error)) {
      const message = error.type === 'entity.too.large' ? 'request body too large (FEP_MAX_JSON_BYTES)' : `body: ${error.message}`;
      return { status: error.status, body: { statusCode: error.status, error: error.type, message } };
    }
    const correlationId = randomUUID();
    this.logger.error(`unexpected error ${correlationId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { status: 500, body: { statusCode: 500, message: 'internal error', correlationId } };
  }
}
