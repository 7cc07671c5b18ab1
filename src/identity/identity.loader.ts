/**
 * Loads the configured PKCS#12 keystore, or on a first start without one generates a development CA and a
 * connector certificate into the certs folder (PKCS#12 + PEM). Runs before Nest starts: HTTPS needs it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerSettings } from '../common/http/server.settings.js';
import { BootError } from '../config/boot.error.js';
import type { IdentitySettings } from './identity.settings.js';
import type { ConnectorIdentity } from './connector-identity.js';
import { createOnce, readWhenPresent } from './shared-file.js';
import { createDevCa, issueCertificate, type KeyAndCert } from './dev-pki.js';
import { readPkcs12, writePkcs12 } from './pkcs12.codec.js';

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

export function loadIdentity(
  config: { identity: IdentitySettings; server: Pick<ServerSettings, 'publicUrl'> },
  logger: IdentityLog,
): ConnectorIdentity {
  const { keystore, keystorePassword, certsDir } = config.identity;
  if (keystore !== undefined) {
    if (!existsSync(keystore)) throw new BootError(`FEP_KEYSTORE ${keystore} does not exist`);
    const contents = readPkcs12(readFileSync(keystore), keystorePassword, keystore);
    return { ...contents, source: keystore };
  }
  const generated = join(certsDir, devIdentityFiles(config.server.publicUrl).keystore);
  if (existsSync(generated)) {
    const contents = readPkcs12(readFileSync(generated), keystorePassword, generated);
    return { ...contents, source: generated };
  }
  return generateDevIdentity(config, logger);
}

function generateDevIdentity(
  config: { identity: IdentitySettings; server: Pick<ServerSettings, 'publicUrl'> },
  logger: IdentityLog,
): ConnectorIdentity {
  const { certsDir, keystorePassword } = config.identity;
  const files = devIdentityFiles(config.server.publicUrl);
  mkdirSync(certsDir, { recursive: true });
  const caCertFile = join(certsDir, DEV_FILES.caCert);
  const caKeyFile = join(certsDir, DEV_FILES.caKey);
  // One dev CA per folder, so that demo connectors sharing it trust each other, even when they start together:
  // the key is created once (atomically), the certificate right after by the same process.
  if (!existsSync(caCertFile)) {
    const fresh = createDevCa('fep-connector dev CA');
    if (createOnce(caKeyFile, fresh.keyPem)) createOnce(caCertFile, fresh.certPem, 0o644);
  }
  const ca: KeyAndCert = { certPem: readWhenPresent(caCertFile).toString('utf8'), keyPem: readWhenPresent(caKeyFile).toString('utf8') };
  const host = new URL(config.server.publicUrl).hostname;
  const isIp = /^[\d.]+$/.test(host);
  const leaf = issueCertificate(ca, {
    commonName: host,
    dnsNames: [...new Set(['localhost', ...(isIp ? [] : [host])])],
    ipAddresses: [...new Set(['127.0.0.1', ...(isIp ? [host] : [])])],
  });
  writeFileSync(join(certsDir, files.cert), leaf.certPem + ca.certPem);
  writeFileSync(join(certsDir, files.key), leaf.keyPem, { mode: 0o600 });
  const p12 = writePkcs12({ ...leaf, chainPems: [ca.certPem] }, keystorePassword, 'connector');
  writeFileSync(join(certsDir, files.keystore), p12, { mode: 0o600 });
  logger.warn(
    `No keystore configured: generated a DEVELOPMENT CA and connector certificate in ${certsDir} ` +
      `(${files.keystore}, ${files.cert}). Set FEP_KEYSTORE for a real identity.`,
  );
  return { keyPem: leaf.keyPem, certPem: leaf.certPem, chainPems: [ca.certPem], source: join(certsDir, files.keystore) };
}
