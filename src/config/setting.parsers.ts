/** Small pure parsers for environment values; each returns a value or throws a SettingError with the reason. */
import { isAbsolute, resolve } from 'node:path';
import type { Parser } from './setting.js';

export type { Parser } from './setting.js';

export class SettingError extends Error {}

function fail(reason: string): never {
  throw new SettingError(reason);
}

export const text: Parser<string> = (raw) => {
  if (raw.trim() === '') fail('must not be empty');
  return raw;
};

export const bool: Parser<boolean> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  fail(`must be true or false, got "${raw}"`);
};

export function int(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) fail(`must be a whole number, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) fail(`must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

export function oneOf<T extends string>(...values: T[]): Parser<T> {
  return (raw) => {
    if (!(values as string[]).includes(raw)) fail(`must be one of ${values.join(', ')}, got "${raw}"`);
    return raw as T;
  };
}

export const httpUrl: Parser<string> = (raw) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(`must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`must be an http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
};

/** An IRI as the information model needs for `@id`: a scheme and no white space. */
export const iri: Parser<string> = (raw) => {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>"{}|\\^`]+$/.test(raw)) fail(`must be an absolute IRI, got "${raw}"`);
  return raw;
};

export const databaseUrl: Parser<string> = (raw) => {
  if (!/^postgres(ql)?:\/\/.+/.test(raw)) fail('must be a postgres:// URL (leave unset for the embedded SQLite file)');
  return raw;
};

/** `url=transport,url=transport`: the transport to use per remote IDS endpoint. */
export const peerTransports: Parser<Record<string, 'form' | 'mixed' | 'http-header'>> = (raw) => {
  const out: Record<string, 'form' | 'mixed' | 'http-header'> = {};
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf('=');
    const url = entry.slice(0, at);
    const transport = entry.slice(at + 1);
    if (at <= 0 || !/^https?:\/\//.test(url)) fail(`entries must look like https://peer/data=mixed, got "${entry}"`);
    if (transport !== 'form' && transport !== 'mixed' && transport !== 'http-header') {
      fail(`transport of ${url} must be form, mixed or http-header, got "${transport}"`);
    }
    out[url] = transport;
  }
  return out;
};

/** `host=address,host=address`. */
export const hostAliases: Parser<Record<string, string>> = (raw) => {
  const out: Record<string, string> = {};
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [host, address] = entry.split('=');
    if (!host || !address || !/^[\d.]+$|^[0-9a-fA-F:]+$/.test(address)) fail(`entries must look like peer-host=127.0.0.1, got "${entry}"`);
    out[host.toLowerCase()] = address!;
  }
  return out;
};

/** Comma-separated non-empty values. */
export const list: Parser<string[]> = (raw) =>
  raw
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** Comma-separated IRIs. */
export const iriList: Parser<string[]> = (raw, context) => list(raw, context).map((value) => iri(value, context));

/** Comma-separated http(s) URL prefixes (an allow-list of endpoints). */
export const urlPrefixes: Parser<string[]> = (raw, context) =>
  list(raw, context).map((value) => {
    if (!/^https?:\/\/[^\s/]+/.test(value)) fail(`entries must be http(s) URL prefixes such as https://host/path, got "${value}"`);
    return value;
  });

/** A file or directory path; relative ones resolve against the working directory at boot. */
export const path: Parser<string> = (raw, context) => {
  const value = text(raw, context);
  return isAbsolute(value) ? value : resolve(context.cwd, value);
};

/** Comma-separated paths. */
export const pathList: Parser<string[]> = (raw, context) => list(raw, context).map((value) => path(value, context));
