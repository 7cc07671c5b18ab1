import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createOnce } from '../identity/shared-file.js';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, type JSONWebKeySet } from 'jose';

/** Issuer of DATs from the development DAPS (FEP_DAPS_MODE=dev); trusted by every dev-mode connector. */
export const DEV_DAPS_ISSUER = 'https://fep-connector.dev/daps';

export interface DevDapsKey {
  privateKey: KeyObject;
  kid: string;
  jwks: JSONWebKeySet;
}

/**
 * The development DAPS signing key, generated once into the certs folder and shared (like the dev CA) by the
 * connectors using it, so demo connectors accept each other's tokens. Not for production.
 */
export async function loadDevDapsKey(certsDir: string): Promise<DevDapsKey> {
  const file = join(certsDir, 'dev-daps.key.pem');
  if (!existsSync(file)) {
    mkdirSync(certsDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    createOnce(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  }
  const privateKey = createPrivateKey(readFileSync(file));
  const jwk = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, kid, jwks: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] } };
}
