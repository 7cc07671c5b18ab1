/**
 * JSON from outside (admin bodies, IDS header parts, payloads, peers' replies), read in one bounded way.
 * `JSON.parse` itself copes with deep nesting, but everything that walks the value afterwards (class-transformer,
 * class-validator, JSON-LD processing, our own readers) recurses: at a few thousand levels it overflows the stack
 * and the caller sees a 500. The depth is therefore checked on the text before parsing, in one linear pass. Pure.
 */
import { ConnectorError } from './connector.error.js';

/** Deepest nesting of arrays and objects accepted anywhere (infomodel documents need about 15). */
export const MAX_JSON_DEPTH = 100;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting of `{` and `[` outside strings, stopping as soon as `limit` is passed. */
export function jsonDepth(text: string, limit = Number.MAX_SAFE_INTEGER): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Parses JSON text from outside. Broken JSON and nesting deeper than `MAX_JSON_DEPTH` are MALFORMED_MESSAGE
 * (400 on the admin API, `idsc:MALFORMED_MESSAGE` on the IDS endpoints), naming `what` was being read.
 */
export function parseJson(text: string | Buffer, what: string, field = what): unknown {
  const source = typeof text === 'string' ? text : text.toString('utf8');
  if (jsonDepth(source, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new ConnectorError('MALFORMED_MESSAGE', `${what}: JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted`, field);
  }
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    throw new ConnectorError('MALFORMED_MESSAGE', `${what}: not JSON (${error instanceof Error ? error.message : String(error)})`, field);
  }
}

/** A value JSON can carry. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
