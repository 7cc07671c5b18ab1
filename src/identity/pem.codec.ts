/**
 * The certificates of a PEM text (RFC 7468 §5), in order: a bundle, a chain file, one certificate. Each keeps its own
 * line break after the END line, as node-forge writes a certificate (so one read back equals the one written).
 */
export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\r?\n?/g) ?? [];
}
