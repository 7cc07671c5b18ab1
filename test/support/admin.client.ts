import assert from 'node:assert/strict';
import { send } from './http.client.js';

type Json = Record<string, any>;

/** Where a connector process's admin API is and how to log in: for tests that start one with its own password. */
export interface AdminTarget {
  base: string;
  password: string;
  /** PEM CA of its TLS certificate (https). */
  ca?: string;
}

/**
 * One admin API call as `admin` with JSON (or raw bytes, sent as application/octet-stream); fails the test on any
 * status of 300 or more, naming the call and the answer.
 */
export async function adminCall(target: AdminTarget, method: string, path: string, json?: unknown, raw?: Buffer): Promise<Json> {
  const body = raw ?? (json === undefined ? undefined : JSON.stringify(json));
  const r = await send(method, target.base + path, {
    headers: {
      authorization: 'Basic ' + Buffer.from(`admin:${target.password}`).toString('base64'),
      'content-type': raw ? 'application/octet-stream' : 'application/json',
    },
    ...(body === undefined ? {} : { body }),
    ...(target.ca === undefined ? {} : { ca: target.ca }),
  });
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json<Json>();
}
