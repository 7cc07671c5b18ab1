/**
 * IDS mapper #2 of 2 (the admin one is common/admin-exception.filter.ts): domain error code ->
 * `ids:rejectionReason` (idsc codes, v4.1.0 codes/RejectionReason.ttl).
 */
import type { ErrorCode } from '../../common/connector.error.js';

export const REJECTION_REASONS = [
  'BAD_PARAMETERS',
  'INTERNAL_RECIPIENT_ERROR',
  'MALFORMED_MESSAGE',
  'MESSAGE_TYPE_NOT_SUPPORTED',
  'METHOD_NOT_SUPPORTED',
  'NOT_AUTHENTICATED',
  'NOT_AUTHORIZED',
  'NOT_FOUND',
  'TEMPORARILY_NOT_AVAILABLE',
  'TOO_MANY_RESULTS',
  'VERSION_NOT_SUPPORTED',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export function rejectionReasonOf(code: ErrorCode): RejectionReason {
  switch (code) {
    case 'BAD_INPUT':
    case 'CONFLICT':
    case 'PAYLOAD_TOO_LARGE':
      return 'BAD_PARAMETERS';
    case 'MALFORMED_MESSAGE':
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'MALFORMED_MESSAGE';
    case 'NOT_FOUND':
      return 'NOT_FOUND';
    case 'NOT_AUTHENTICATED':
      return 'NOT_AUTHENTICATED';
    case 'NOT_AUTHORIZED':
      return 'NOT_AUTHORIZED';
    case 'VERSION_NOT_SUPPORTED':
      return 'VERSION_NOT_SUPPORTED';
    case 'MESSAGE_TYPE_NOT_SUPPORTED':
      return 'MESSAGE_TYPE_NOT_SUPPORTED';
    case 'TEMPORARILY_NOT_AVAILABLE':
    case 'INSUFFICIENT_STORAGE':
      return 'TEMPORARILY_NOT_AVAILABLE';
    case 'REMOTE_ERROR':
    case 'MISCONFIGURED':
    case 'INTERNAL':
      return 'INTERNAL_RECIPIENT_ERROR';
  }
}
