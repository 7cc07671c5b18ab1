/**
 * Domain errors. Services throw these; exactly two mappers put them on the wire:
 * `admin-exception.filter.ts` (code -> HTTP status) and the IDS rejection mapper (code -> ids:rejectionReason).
 */
export const ERROR_CODES = [
  'BAD_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_AUTHENTICATED',
  'NOT_AUTHORIZED',
  'MALFORMED_MESSAGE',
  'VERSION_NOT_SUPPORTED',
  'MESSAGE_TYPE_NOT_SUPPORTED',
  'TEMPORARILY_NOT_AVAILABLE',
  'REMOTE_ERROR',
  /** This connector is set up wrongly (a DAPS that does not know its client id): the operator must act. */
  'MISCONFIGURED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class ConnectorError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field the error is about, when there is one (shown to the client). */
    readonly field?: string,
    /** Every problem, when there are several (class-validator's findings on a body): each with its field. */
    readonly problems?: { field: string; reason: string }[],
  ) {
    super(message);
    this.name = 'ConnectorError';
  }

  static notFound(what: string, id: string): ConnectorError {
    return new ConnectorError('NOT_FOUND', `${what} ${id} does not exist`);
  }

  static badInput(field: string, reason: string): ConnectorError {
    return new ConnectorError('BAD_INPUT', `${field}: ${reason}`, field);
  }
}
