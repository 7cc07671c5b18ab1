/**
 * The two X.509 extensions a DAPS client id is made of, read from the certificate's DER (RFC 5280 §4.1, §4.2.1.1,
 * §4.2.1.2). Node's X509Certificate exposes neither, and node-forge (which does) is one of the larger modules a boot
 * would otherwise load for these few bytes.
 */

interface Tlv {
  tag: number;
  /** Offset of the contents. */
  start: number;
  end: number;
}

const SEQUENCE = 0x30;
const OCTET_STRING = 0x04;
const OID = 0x06;
const BOOLEAN = 0x01;
/** tbsCertificate's `extensions [3] EXPLICIT`. */
const EXTENSIONS = 0xa3;
/** AuthorityKeyIdentifier's `keyIdentifier [0] IMPLICIT`. */
const KEY_IDENTIFIER = 0x80;
/** 2.5.29.14 and 2.5.29.35, DER-encoded. */
const SKI_OID = Buffer.from([0x55, 0x1d, 0x0e]);
const AKI_OID = Buffer.from([0x55, 0x1d, 0x23]);

/** One DER TLV at `at`, bounded by `limit` (definite lengths only, as DER requires). */
function tlv(der: Buffer, at: number, limit: number): Tlv {
  if (at + 2 > limit) throw new Error('truncated DER');
  const tag = der[at];
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > limit) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i];
    start += bytes;
  }
  const end = start + length;
  if (end > limit) throw new Error('truncated DER');
  return { tag, start, end };
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; at = out[out.length - 1].end) out.push(tlv(der, at, parent.end));
  return out;
}

function expect(node: Tlv | undefined, tag: number, what: string): Tlv {
  if (node?.tag !== tag) throw new Error(`not an X.509 certificate: ${what}`);
  return node;
}

/** extnID → extnValue's contents, for each extension of the certificate. */
function extensions(der: Buffer): Map<string, Buffer> {
  const certificate = expect(tlv(der, 0, der.length), SEQUENCE, 'Certificate');
  const tbs = expect(children(der, certificate)[0], SEQUENCE, 'tbsCertificate');
  const found = new Map<string, Buffer>();
  const wrapper = children(der, tbs).find((node) => node.tag === EXTENSIONS);
  if (!wrapper) return found;
  const list = expect(children(der, wrapper)[0], SEQUENCE, 'Extensions');
  for (const extension of children(der, list)) {
    // Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
    const [id, ...rest] = children(der, expect(extension, SEQUENCE, 'Extension'));
    const value = expect(
      rest.find((node) => node.tag !== BOOLEAN),
      OCTET_STRING,
      'extnValue',
    );
    expect(id, OID, 'extnID');
    found.set(der.subarray(id.start, id.end).toString('hex'), der.subarray(value.start, value.end));
  }
  return found;
}

/** The SubjectKeyIdentifier and the AuthorityKeyIdentifier's keyIdentifier, raw; undefined where absent. */
export function readKeyIdentifiers(der: Buffer): { ski?: Buffer; aki?: Buffer } {
  const found = extensions(der);
  const skiValue = found.get(SKI_OID.toString('hex'));
  const akiValue = found.get(AKI_OID.toString('hex'));
  // SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING).
  const ski = skiValue && expect(tlv(skiValue, 0, skiValue.length), OCTET_STRING, 'SubjectKeyIdentifier');
  // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] KeyIdentifier OPTIONAL, ... }
  const akiSeq = akiValue && expect(tlv(akiValue, 0, akiValue.length), SEQUENCE, 'AuthorityKeyIdentifier');
  const keyId = akiSeq && children(akiValue, akiSeq).find((node) => node.tag === KEY_IDENTIFIER);
  return {
    ...(ski && skiValue ? { ski: skiValue.subarray(ski.start, ski.end) } : {}),
    ...(keyId && akiValue ? { aki: akiValue.subarray(keyId.start, keyId.end) } : {}),
  };
}
