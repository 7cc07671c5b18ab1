import { bool, httpUrl, int, oneOf, text } from '../../config/setting.parsers.js';
import { defineArea, optional, setting, type SettingsOf } from '../../config/setting.js';

/** The HTTP(S) server: where it listens, how it is reached, and the limits that keep slow clients from holding it. */
export const serverSettings = defineArea(
  'server',
  {
    port: setting('PORT', int(0, 65535), 8443, 'TCP port of the IDS endpoint, admin API and Swagger UI'),
    host: setting('HOST', text, '0.0.0.0', 'interface to listen on'),
    adminPort: optional(
      'FEP_ADMIN_PORT',
      int(0, 65535),
      'a second port for the admin API, Swagger UI, metrics and the live page (on `FEP_ADMIN_HOST`, without client certificates); `PORT` then serves only the IDS endpoint, the self-description, the dev DAPS and the health checks',
      'unset: one port for all',
    ),
    adminHost: setting(
      'FEP_ADMIN_HOST',
      text,
      ({ read }) => read<string>('HOST'),
      'interface of `FEP_ADMIN_PORT` (e.g. `127.0.0.1`)',
      '$HOST',
    ),
    tls: setting(
      'FEP_TLS',
      bool,
      true,
      '`true` serves HTTPS with the keystore; `false` serves plain HTTP (behind a TLS proxy or for local trials)',
    ),
    publicUrl: setting(
      'FEP_PUBLIC_URL',
      httpUrl,
      ({ read }) => `${read<boolean>('FEP_TLS') ? 'https' : 'http'}://localhost:${read<number>('PORT')}`,
      'base URL partners reach this connector at; the IDS endpoint is `<url>/data`',
      'https://localhost:$PORT',
    ),
    tlsClientAuth: setting(
      'FEP_TLS_CLIENT_AUTH',
      oneOf('none', 'want', 'require'),
      'none',
      '`want` or `require`: mutual TLS; the client certificate must chain to the truststore and its SHA-256 must match the DAT `transportCertsSha256`',
    ),
    maxJsonBytes: setting(
      'FEP_MAX_JSON_BYTES',
      int(1024, 1 << 30),
      1 << 20,
      'largest JSON or JSON-LD request body accepted by the admin API (larger: 413)',
    ),
    headersTimeoutMs: setting(
      'FEP_HEADERS_TIMEOUT_MS',
      int(100, 3_600_000),
      10_000,
      "time a client has to send a request's headers; slower (trickling) clients are disconnected",
    ),
    requestTimeoutMs: setting(
      'FEP_REQUEST_TIMEOUT_MS',
      int(100, 86_400_000),
      300_000,
      'time a client has to send a whole request, body included (raise it for large uploads over slow links)',
    ),
    idleTimeoutMs: setting('FEP_IDLE_TIMEOUT_MS', int(100, 86_400_000), 60_000, 'a connection without any traffic for this long is closed'),
    keepAliveTimeoutMs: setting(
      'FEP_KEEPALIVE_TIMEOUT_MS',
      int(100, 3_600_000),
      5_000,
      'how long an idle keep-alive connection is kept open for the next request',
    ),
  },
  (s) => [
    ...(s.tlsClientAuth !== 'none' && !s.tls ? ['FEP_TLS_CLIENT_AUTH needs FEP_TLS=true'] : []),
    ...(s.headersTimeoutMs > s.requestTimeoutMs ? ['FEP_HEADERS_TIMEOUT_MS must not exceed FEP_REQUEST_TIMEOUT_MS'] : []),
    ...(s.adminPort !== undefined && s.adminPort !== 0 && s.adminPort === s.port ? ['FEP_ADMIN_PORT must differ from PORT'] : []),
  ],
);
export type ServerSettings = SettingsOf<typeof serverSettings>;
