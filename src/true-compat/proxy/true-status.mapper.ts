/**
 * TRUE's basic data app answers its /proxy caller with an HTTP status per rejection reason
 * (true-connector-basic_data_app, util/RejectionUtil.java); TRUE's tools match on these. Pure.
 */
export function proxyStatusOf(reason: string): number {
  const table: Record<string, number> = {
    BAD_PARAMETERS: 500,
    INTERNAL_RECIPIENT_ERROR: 500,
    MALFORMED_MESSAGE: 400,
    MESSAGE_TYPE_NOT_SUPPORTED: 400,
    METHOD_NOT_SUPPORTED: 405,
    NOT_AUTHENTICATED: 511,
    NOT_AUTHORIZED: 401,
    NOT_FOUND: 404,
    TEMPORARILY_NOT_AVAILABLE: 503,
    TOO_MANY_RESULTS: 413,
    VERSION_NOT_SUPPORTED: 400,
  };
  return table[reason] ?? 400;
}
