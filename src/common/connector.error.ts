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
  /** The node's disk is full (or over quota): nothing could be written. */
  'INSUFFICIENT_STORAGE',
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

/** The codes by which the file system and SQLite say the disk is full. */
const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/**
 * A failure of the node's storage that is no fault of the request's, recognised wherever it surfaces (a file write,
 * SQLite's SQLITE_FULL, PostgreSQL's 53100 disk_full), as the INSUFFICIENT_STORAGE error that names it; undefined for
 * anything else. Causes are followed.
 */
export function storageFailure(error: unknown): ConnectorError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (
      (typeof code === 'string' && (FULL.has(code) || code === '53100')) ||
      /SQLITE_FULL|ENOSPC|no space left on device/i.test(e.message)
    ) {
      return new ConnectorError('INSUFFICIENT_STORAGE', `the node's disk is full, nothing was written: ${e.message}`);
    }
  }
  return undefined;
}
