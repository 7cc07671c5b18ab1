/**
 * HTTP Digest access authentication as IP cameras (Hikvision, Dahua, Axis) ask for it: RFC 7616, MD5 and SHA-256,
 * with and without `-sess`, `qop=auth` (and the RFC 2069 form without qop). Pure: the client nonce is given.
 */
import { createHash } from 'node:crypto';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';
  /** `auth` when the server offers it; undefined for the RFC 2069 form. */
  qop?: 'auth';
}

/** Splits `name=value, name="quoted, value"` pairs (RFC 7235 auth-param). */
export function params(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const m of text.matchAll(re)) out.set(m[1].toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
  return out;
}

/** The Digest challenge among a response's WWW-Authenticate values, if any (the strongest algorithm offered wins). */
export function parseDigestChallenge(headers: readonly string[]): DigestChallenge | undefined {
  const found: DigestChallenge[] = [];
  for (const header of headers) {
    for (const part of header.split(/(?=\bDigest\s)/i)) {
      const m = /^\s*Digest\s+(.*)$/is.exec(part);
      if (m === null) continue;
      const p = params(m[1]);
      const realm = p.get('realm');
      const nonce = p.get('nonce');
      if (realm === undefined || nonce === undefined) continue;
      const algorithm = (p.get('algorithm') ?? 'MD5').toUpperCase();
      if (!['MD5', 'MD5-SESS', 'SHA-256', 'SHA-256-SESS'].includes(algorithm)) continue;
      const qops = (p.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
      found.push({
        realm,
        nonce,
        ...(p.has('opaque') ? { opaque: p.get('opaque')! } : {}),
        algorithm: algorithm.replace('SESS', 'sess') as DigestChallenge['algorithm'],
        ...(qops.includes('auth') ? { qop: 'auth' as const } : {}),
      });
    }
  }
  return found.sort((a, b) => Number(b.algorithm.startsWith('SHA')) - Number(a.algorithm.startsWith('SHA')))[0];
}

export interface DigestRequest {
  user: string;
  password: string;
  method: string;
  /** The request-target, e.g. `/ISAPI/Streaming/channels/101/picture`. */
  uri: string;
  cnonce: string;
  /** Requests made with this nonce so far, this one included. */
  nc: number;
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** The `response` value of a Digest authorization (RFC 7616 section 3.4.1). */
export function digestResponse(challenge: DigestChallenge, request: DigestRequest): string {
  const hash = (s: string): string => createHash(challenge.algorithm.startsWith('SHA-256') ? 'sha256' : 'md5').update(s).digest('hex');
  const nc = request.nc.toString(16).padStart(8, '0');
  let ha1 = hash(`${request.user}:${challenge.realm}:${request.password}`);
  if (challenge.algorithm.endsWith('-sess')) ha1 = hash(`${ha1}:${challenge.nonce}:${request.cnonce}`);
  const ha2 = hash(`${request.method}:${request.uri}`);
  return challenge.qop === 'auth' ? hash(`${ha1}:${challenge.nonce}:${nc}:${request.cnonce}:auth:${ha2}`) : hash(`${ha1}:${challenge.nonce}:${ha2}`);
}

export function digestAuthorization(challenge: DigestChallenge, request: DigestRequest): string {
  const nc = request.nc.toString(16).padStart(8, '0');
  const response = digestResponse(challenge, request);
  const fields = [
    `username=${quoted(request.user)}`,
    `realm=${quoted(challenge.realm)}`,
    `nonce=${quoted(challenge.nonce)}`,
    `uri=${quoted(request.uri)}`,
    `algorithm=${challenge.algorithm}`,
    `response=${quoted(response)}`,
    ...(challenge.opaque === undefined ? [] : [`opaque=${quoted(challenge.opaque)}`]),
    ...(challenge.qop === 'auth' ? [`qop=auth`, `nc=${nc}`, `cnonce=${quoted(request.cnonce)}`] : []),
  ];
  return `Digest ${fields.join(', ')}`;
}
