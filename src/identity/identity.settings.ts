import { resolve } from 'node:path';
import { path, text } from '../config/setting.parsers.js';
import { defineArea, optional, setting, type SettingsOf } from '../config/setting.js';

/** The connector's key and certificate, and the CAs it trusts. */
export const identitySettings = defineArea('identity', {
  certsDir: setting(
    'FEP_CERTS_DIR',
    path,
    ({ cwd }) => resolve(cwd, 'certs'),
    'where the development CA and connector certificate are generated on first start',
    './certs',
  ),
  keystore: optional(
    'FEP_KEYSTORE',
    path,
    'PKCS#12 file with the connector key and certificate',
    '(unset: generate a dev identity in `$FEP_CERTS_DIR`)',
  ),
  keystorePassword: setting(
    'FEP_KEYSTORE_PASSWORD',
    text,
    'password',
    'password of the PKCS#12 keystore (also used for the generated one)',
  ),
  truststore: optional(
    'FEP_TRUSTSTORE',
    path,
    'PEM bundle or PKCS#12 (`.p12`, `.pfx`) of CAs trusted for TLS to and from connectors, DAPS, broker and clearing house',
    '(system CAs + own CA chain)',
  ),
  truststorePassword: setting('FEP_TRUSTSTORE_PASSWORD', text, 'password', 'password of a PKCS#12 truststore'),
});
export type IdentitySettings = SettingsOf<typeof identitySettings>;
