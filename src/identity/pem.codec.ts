/** The certificates of a PEM text (RFC 7468 §5), in order: a bundle, a chain file, one certificate. */
export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
