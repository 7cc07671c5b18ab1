/**
 * Loads the configured PKCS#12 keystore, or on a first start without one generates a development CA and a
 * connector certificate into the certs folder (PKCS#12 + PEM). Runs before Nest starts: HTTPS needs it.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerSettings } from '../common/http/server.settings.js';
import { BootError } from '../config/boot.error.js';
import type { IdentitySettings } from './identity.settings.js';
import { publicKeyBase64, type ConnectorIdentity } from './connector-identity.js';
import { pemCertificates } from './pem.codec.js';
import { createOnce, readWhenPresent } from './shared-file.js';
import type { KeyAndCert } from './dev-pki.js';
import type { ForgeRunner } from './forge.runner.js';

/**
 * Generated files. The dev CA (and the dev DAPS key, see dev-daps.key.ts) are shared by every connector using the
 * folder, so demo connectors trust each other; each connector's own key and certificate are named after its
 * public host and port, so two connectors started on two ports from one folder have identities of their own.
 */
export const DEV_FILES = {
  caCert: 'dev-ca.crt.pem',
  caKey: 'dev-ca.key.pem',
} as const;

export function devIdentityFiles(publicUrl: string): { keystore: string; cert: string; key: string } {
  const url = new URL(publicUrl);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const name = `connector-${url.hostname.replace(/[^a-zA-Z0-9.-]/g, '_')}-${port}`;
  return { keystore: `${name}.p12`, cert: `${name}.crt.pem`, key: `${name}.key.pem` };
}

export interface IdentityLog {
  log(message: string): void;
  warn(message: string): void;
}

export async function loadIdentity(
  config: { identity: IdentitySettings; server: Pick<ServerSettings, 'publicUrl'> },
  logger: IdentityLog,
  forge: ForgeRunner,
): Promise<ConnectorIdentity> {
  const { keystore, keystorePassword, certsDir } = config.identity;
  // node-forge (PKCS#12, certificate issuing) runs only when a keystore is read or an identity made, and then in a
  // worker thread of its own (forge.tasks.ts).
  if (keystore !== undefined) {
    if (!existsSync(keystore)) throw new BootError(`FEP_KEYSTORE ${keystore} does not exist`);
    return { ...(await readKeystore(keystore, keystorePassword, forge)), source: keystore };
  }
  const files = devIdentityFiles(config.server.publicUrl);
  const generated = join(certsDir, files.keystore);
  if (existsSync(generated)) {
    const written = readGeneratedPems(join(certsDir, files.cert), join(certsDir, files.key), generated);
    if (written) return { ...written, source: generated };
    return { ...(await readKeystore(generated, keystorePassword, forge)), source: generated };
  }
  return generateDevIdentity(config, logger, forge);
}

function readKeystore(file: string, password: string, forge: ForgeRunner): Promise<Omit<ConnectorIdentity, 'source'>> {
  return forge('readPkcs12', { der: readFileSync(file), password, source: file });
}

/**
 * The generated identity from the PEM files written with its keystore, which read without PKCS#12's password-based
 * key derivation (in node-forge's JavaScript, the largest part of a restart's identity loading). Only when they are
 * at least as new as the keystore (one replaced by hand is read instead) and the key is the certificate's;
 * otherwise undefined, and the keystore is read.
 */
function readGeneratedPems(certFile: string, keyFile: string, keystore: string): Omit<ConnectorIdentity, 'source'> | undefined {
  const written = [certFile, keyFile].map((file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -Infinity);
  if (Math.min(...written) < statSync(keystore).mtimeMs) return undefined;
  try {
    const [certPem, ...chainPems] = pemCertificates(readFileSync(certFile, 'utf8'));
    // The certificate and the dev CA's, as written: a file cut off by a crash is not an identity.
    if (certPem === undefined || chainPems.length === 0) return undefined;
    const keyPem = readFileSync(keyFile, 'utf8');
    const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' }).toString('base64');
    return fromKey === publicKeyBase64(certPem) ? { keyPem, certPem, chainPems } : undefined;
  } catch {
    return undefined;
  }
}

async function generateDevIdentity(
  config: { identity: IdentitySettings; server: Pick<ServerSettings, 'publicUrl'> },
  logger: IdentityLog,
  forge: ForgeRunner,
): Promise<ConnectorIdentity> {
  const { certsDir, keystorePassword } = config.identity;
  const files = devIdentityFiles(config.server.publicUrl);
  mkdirSync(certsDir, { recursive: true });
  const caCertFile = join(certsDir, DEV_FILES.caCert);
  const caKeyFile = join(certsDir, DEV_FILES.caKey);
  // One dev CA per folder, so that demo connectors sharing it trust each other, even when they start together:
  // the key is created once (atomically), the certificate right after by the same process.
  if (!existsSync(caCertFile)) {
    const fresh = await forge('createDevCa', { commonName: 'fep-connector dev CA' });
    if (createOnce(caKeyFile, fresh.keyPem)) createOnce(caCertFile, fresh.certPem, 0o644);
  }
  const ca: KeyAndCert = { certPem: readWhenPresent(caCertFile).toString('utf8'), keyPem: readWhenPresent(caKeyFile).toString('utf8') };
  const host = new URL(config.server.publicUrl).hostname;
  const isIp = /^[\d.]+$/.test(host);
  const { leaf, p12 } = await forge('issueDevIdentity', {
    ca,
    subject: {
      commonName: host,
      dnsNames: [...new Set(['localhost', ...(isIp ? [] : [host])])],
      ipAddresses: [...new Set(['127.0.0.1', ...(isIp ? [host] : [])])],
    },
    password: keystorePassword,
  });
  // The keystore first, the PEM files after it: a restart reads the PEM files only when they are not older.
  writeFileSync(join(certsDir, files.keystore), p12, { mode: 0o600 });
  writeFileSync(join(certsDir, files.cert), leaf.certPem + ca.certPem);
  writeFileSync(join(certsDir, files.key), leaf.keyPem, { mode: 0o600 });
  logger.warn(
    `No keystore configured: generated a DEVELOPMENT CA and connector certificate in ${certsDir} ` +
      `(${files.keystore}, ${files.cert}). Set FEP_KEYSTORE for a real identity.`,
  );
  return { keyPem: leaf.keyPem, certPem: leaf.certPem, chainPems: [ca.certPem], source: join(certsDir, files.keystore) };
}
