import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { TRANSPORTS, type Transport } from '../ids/transport/ids-transport.codec.js';
import { bool, databaseUrl, hostAliases, httpUrl, int, iri, iriList, list, oneOf, peerTransports, text, urlPrefixes, type Parser } from './setting.parsers.js';

/**
 * Every setting of the connector: its environment variable, default and meaning. The README's configuration
 * table is this list (a unit test keeps the two in step). `loadConfig` is the only reader of the environment.
 */
export interface ConnectorConfig {
  server: ServerConfig;
  connector: { id: string; title: string; description: string; curator: string; maintainer: string; securityProfile: SecurityProfile };
  identity: { certsDir: string; keystore?: string; keystorePassword: string };
  storage: { dataDir: string; databaseUrl?: string };
  admin: { user: string; password?: string };
  /** The user TRUE's data apps and tools use for /proxy and /incoming-data-app/* (TRUE: idsUser). */
  dataApp: { user: string; password?: string };
  ids: {
    dapsMode: DapsMode;
    maxMessageBytes: number;
    timeoutMs: number;
    defaultTransport: Transport;
    /** Transport per remote `/data` URL, for TRUE peers that understand only the one they are configured for. */
    peerTransports: Record<string, Transport>;
    /** PEM bundle or PKCS#12 of CAs trusted for TLS (outbound, and client certificates inbound). */
    truststore?: string;
    truststorePassword: string;
    /** Host name -> address for outbound connections, like curl --resolve (peers without DNS). */
    resolve: Record<string, string>;
    /** Largest artifact this connector accepts as consumer. */
    receiveMaxBytes: number;
  };
  /** Where artifact bytes may come from. */
  sources: {
    /** Directories `file` artifacts may point into (never the certs or data directory). */
    fileDirs: string[];
    /** HTTP sources: time to connect, and longest pause between two pieces of the body. */
    httpConnectTimeoutMs: number;
    httpIdleTimeoutMs: number;
  };
  audit: {
    retentionDays: number;
    maxRecords: number;
    sweepMs: number;
  };
  daps: DapsConfig;
  /** Mutual TLS on the HTTPS server: `none`, `want` (ask, check when given) or `require`. */
  tlsClientAuth: 'none' | 'want' | 'require';
  usage: UsageConfig;
  services: ServicesConfig;
  demo: boolean;
}

/** The HTTP(S) server, with the limits that keep a slow or broken client from holding it. */
export interface ServerConfig {
  port: number;
  host: string;
  publicUrl: string;
  tls: boolean;
  maxJsonBytes: number;
  uploadMaxBytes: number;
  /** Time to receive a request's headers (slow, trickling clients are cut off). */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. */
  requestTimeoutMs: number;
  /** A connection with no traffic for this long is closed. */
  idleTimeoutMs: number;
  /** How long an idle keep-alive connection waits for the next request. */
  keepAliveTimeoutMs: number;
}

/** The data space's shared services, each reached with IDS messages through the same client and token. */
export interface ServicesConfig {
  /** The Metadata Broker's IDS endpoint (e.g. https://broker/infrastructure); unset: no registration. */
  brokerUrl?: string;
  /** The Clearing House's base URL (`/process/{pid}`, `/messages/log/{pid}` below it); unset: nothing is sent. */
  clearingHouseUrl?: string;
  /** How often the outbox worker looks for due records (it is also woken on every new record). */
  pollMs: number;
  /** Backoff of failed deliveries doubles from pollMs up to this. */
  retryMaxMs: number;
}

export interface UsageConfig {
  /** Purposes this connector declares when it uses data as consumer (PURPOSE_RESTRICTED_USAGE). */
  purposes: string[];
  /** Roles this connector's users hold (ROLE_RESTRICTED_USAGE, `ids:USER` HAS_MEMBERSHIP). */
  roles: string[];
  /** Who may call TRUE's Platoon usage-control API: the admin user, or anyone on loopback as TRUE's internal app. */
  platoonApi: 'admin' | 'loopback';
  /** How often received data past its USAGE_UNTIL_DELETION deadline is deleted. */
  deletionSweepMs: number;
  /** URL prefixes a USAGE_NOTIFICATION duty may post to; any other endpoint makes the policy unenforceable. */
  notifyAllowed: string[];
}

export const DAPS_MODES = ['disabled', 'omejdn', 'dev'] as const;
export type DapsMode = (typeof DAPS_MODES)[number];

export interface DapsConfig {
  /** Token endpoint; discovered from the issuer's RFC 8414 metadata when unset. */
  tokenUrl?: string;
  jwksUrl?: string;
  /** Trusted DAT issuers; the first is the one asked for tokens (and for metadata). */
  issuers: string[];
  audience: string;
  /** Overrides the SKI:keyid:AKI id derived from the certificate. */
  clientId?: string;
  minSecurityProfile: SecurityProfile;
  /** Allowed clock skew for exp/nbf/iat, seconds. */
  skewSeconds: number;
  /** Accept DATs without `referringConnector` (then the token is not bound to an `ids:issuerConnector`). */
  allowMissingReferringConnector: boolean;
}

export const SECURITY_PROFILES = ['BASE_SECURITY_PROFILE', 'TRUST_SECURITY_PROFILE', 'TRUST_PLUS_SECURITY_PROFILE'] as const;
export type SecurityProfile = (typeof SECURITY_PROFILES)[number];

export interface SettingDoc {
  env: string;
  default: string;
  meaning: string;
}

export const SETTINGS: SettingDoc[] = [
  { env: 'PORT', default: '8443', meaning: 'TCP port of the IDS endpoint, admin API and Swagger UI' },
  { env: 'HOST', default: '0.0.0.0', meaning: 'interface to listen on' },
  { env: 'FEP_PUBLIC_URL', default: 'https://localhost:$PORT', meaning: 'base URL partners reach this connector at; the IDS endpoint is `<url>/data`' },
  { env: 'FEP_CONNECTOR_ID', default: '`$FEP_PUBLIC_URL/`', meaning: "the connector's IRI (`@id` of the self-description, `ids:issuerConnector` of its messages)" },
  { env: 'FEP_TITLE', default: 'fep-connector on <hostname>', meaning: '`ids:title` of the self-description' },
  { env: 'FEP_DESCRIPTION', default: 'IDS connector for an edge node', meaning: '`ids:description` of the self-description' },
  { env: 'FEP_CURATOR', default: '`$FEP_CONNECTOR_ID`', meaning: 'IRI of the participant curating this connector (`ids:curator`)' },
  { env: 'FEP_MAINTAINER', default: '`$FEP_CONNECTOR_ID`', meaning: 'IRI of the participant maintaining this connector (`ids:maintainer`)' },
  { env: 'FEP_SECURITY_PROFILE', default: 'BASE_SECURITY_PROFILE', meaning: '`ids:securityProfile` claimed in the self-description' },
  { env: 'FEP_TLS', default: 'true', meaning: '`true` serves HTTPS with the keystore; `false` serves plain HTTP (behind a TLS proxy or for local trials)' },
  { env: 'FEP_CERTS_DIR', default: './certs', meaning: 'where the development CA and connector certificate are generated on first start' },
  { env: 'FEP_KEYSTORE', default: '(unset: generate a dev identity in `$FEP_CERTS_DIR`)', meaning: 'PKCS#12 file with the connector key and certificate' },
  { env: 'FEP_KEYSTORE_PASSWORD', default: 'password', meaning: 'password of the PKCS#12 keystore (also used for the generated one)' },
  { env: 'FEP_DATA_DIR', default: './data', meaning: 'SQLite file, uploaded artifacts and generated secrets' },
  { env: 'FEP_DATABASE_URL', default: '(unset: SQLite file `$FEP_DATA_DIR/fep.sqlite`)', meaning: '`postgres://user:pass@host:5432/db` to share a PostgreSQL store between instances' },
  { env: 'FEP_ADMIN_USER', default: 'admin', meaning: 'HTTP Basic user of the admin API' },
  { env: 'FEP_ADMIN_PASSWORD', default: '(unset: generated on first start into `$FEP_DATA_DIR/admin-password`, shown once in the log)', meaning: 'HTTP Basic password of the admin API' },
  { env: 'FEP_MAX_JSON_BYTES', default: '1048576', meaning: 'largest JSON or JSON-LD request body accepted by the admin API (larger: 413)' },
  { env: 'FEP_UPLOAD_MAX_BYTES', default: '1073741824', meaning: 'largest artifact upload (larger: 413)' },
  { env: 'FEP_HEADERS_TIMEOUT_MS', default: '10000', meaning: "time a client has to send a request's headers; slower (trickling) clients are disconnected" },
  { env: 'FEP_REQUEST_TIMEOUT_MS', default: '300000', meaning: 'time a client has to send a whole request, body included (raise it for large uploads over slow links)' },
  { env: 'FEP_IDLE_TIMEOUT_MS', default: '60000', meaning: 'a connection without any traffic for this long is closed' },
  { env: 'FEP_KEEPALIVE_TIMEOUT_MS', default: '5000', meaning: 'how long an idle keep-alive connection is kept open for the next request' },
  { env: 'FEP_FILE_SOURCE_DIRS', default: '(none: `file` sources are refused)', meaning: 'comma-separated directories whose files may be offered as `file` artifacts (never the certs or data directory)' },
  { env: 'FEP_HTTP_SOURCE_CONNECT_TIMEOUT_MS', default: '10000', meaning: '`http` artifact sources: time to connect and receive the response headers' },
  { env: 'FEP_HTTP_SOURCE_IDLE_TIMEOUT_MS', default: '30000', meaning: '`http` artifact sources: longest pause between two pieces of the body (a long transfer that keeps flowing is never cut)' },
  { env: 'FEP_RECEIVE_MAX_BYTES', default: '1073741824', meaning: 'largest artifact accepted as consumer; a larger one is refused and nothing of it is kept' },
  { env: 'FEP_AUDIT_RETENTION_DAYS', default: '30', meaning: 'audit-log records older than this are deleted' },
  { env: 'FEP_AUDIT_MAX_RECORDS', default: '100000', meaning: 'the audit log keeps at most this many records (the oldest go first)' },
  { env: 'FEP_AUDIT_SWEEP_MS', default: '60000', meaning: 'how often the audit-log retention is applied' },
  { env: 'FEP_DATA_APP_USER', default: '`$FEP_ADMIN_USER`', meaning: 'HTTP Basic user of the data-app endpoints (`/proxy`, `/incoming-data-app/*`), as TRUE\'s `idsUser`' },
  { env: 'FEP_DATA_APP_PASSWORD', default: '`$FEP_ADMIN_PASSWORD`', meaning: 'its password' },
  { env: 'FEP_DAPS_MODE', default: '(required; `omejdn` when FEP_DAPS_ISSUER is set; `npm start` sets `dev`)', meaning: '`omejdn`: tokens from a real DAPS (Omejdn 1.x); `dev`: the connector also serves a development DAPS (shared key in `$FEP_CERTS_DIR`, not for production); `disabled`: placeholder token sent, inbound tokens not checked (local trials with TRUE peers only; the boot log warns)' },
  { env: 'FEP_DAPS_URL', default: '(discovered from the issuer)', meaning: 'DAPS token endpoint, e.g. `https://omejdn/auth/token`' },
  { env: 'FEP_DAPS_JWKS_URL', default: '(discovered from the issuer)', meaning: 'DAPS JWKS, e.g. `https://omejdn/auth/jwks.json`' },
  { env: 'FEP_DAPS_ISSUER', default: '(required in omejdn mode)', meaning: 'trusted DAT issuers, comma-separated; the first one issues our tokens (RFC 8414 metadata at `<origin>/.well-known/oauth-authorization-server/<path>`)' },
  { env: 'FEP_DAPS_AUDIENCE', default: 'idsc:IDS_CONNECTORS_ALL', meaning: '`aud` of the client assertion' },
  { env: 'FEP_DAPS_CLIENT_ID', default: '(SKI:keyid:AKI of the certificate)', meaning: 'client id registered at the DAPS' },
  { env: 'FEP_SECURITY_PROFILE_MIN', default: 'BASE_SECURITY_PROFILE', meaning: 'lowest `securityProfile` accepted in inbound DATs (base < trust < trust+)' },
  { env: 'FEP_DAPS_SKEW_SECONDS', default: '60', meaning: 'clock skew allowed when checking `exp`, `nbf`, `iat`' },
  { env: 'FEP_DAPS_ALLOW_MISSING_REFERRING_CONNECTOR', default: 'false', meaning: 'accept DATs without a `referringConnector` claim (DAPS registrations that lack it); such a token is not bound to the message\'s `ids:issuerConnector`, so each one is logged as a warning' },
  { env: 'FEP_TLS_CLIENT_AUTH', default: 'none', meaning: '`want` or `require`: mutual TLS; the client certificate must chain to the truststore and its SHA-256 must match the DAT `transportCertsSha256`' },
  { env: 'FEP_TRUSTSTORE_PASSWORD', default: 'password', meaning: 'password of a PKCS#12 truststore' },
  { env: 'FEP_MAX_MESSAGE_BYTES', default: '16777216', meaning: 'largest inbound IDS message payload accepted on `/data` (artifact responses stream and have no limit)' },
  { env: 'FEP_IDS_TIMEOUT_MS', default: '30000', meaning: 'timeout of an outbound IDS request' },
  { env: 'FEP_IDS_TRANSPORT', default: 'form', meaning: 'transport of outbound IDS messages: `form` (multipart/form-data, TRUE\'s default), `mixed` or `http-header`' },
  { env: 'FEP_PEER_TRANSPORTS', default: '(none)', meaning: 'per-peer transport, `https://peer:8889/data=mixed,https://other/data=http-header`' },
  { env: 'FEP_TRUSTSTORE', default: '(system CAs + own CA chain)', meaning: 'PEM bundle or PKCS#12 (`.p12`, `.pfx`) of CAs trusted for TLS to and from connectors, DAPS, broker and clearing house' },
  { env: 'FEP_RESOLVE', default: '(none)', meaning: 'host=address pairs for outbound connections, like curl --resolve, for peers without DNS: `ecc-provider=127.0.0.1`' },
  { env: 'FEP_USAGE_PURPOSES', default: '(none)', meaning: 'purpose IRIs this connector declares as consumer, comma-separated (checked against `ids:PURPOSE` constraints)' },
  { env: 'FEP_USAGE_ROLES', default: '(none)', meaning: 'role IRIs of this connector\'s users, comma-separated (checked against `ids:USER` HAS_MEMBERSHIP constraints)' },
  { env: 'FEP_PLATOON_UC_API', default: 'admin', meaning: "TRUE's usage-control API (`/platoontec/PlatoonDataUsage/1.0/*`): `admin` needs the admin user; `loopback` also admits unauthenticated calls from 127.0.0.1/::1, as TRUE's internal app container" },
  { env: 'FEP_USAGE_NOTIFY_ALLOWED', default: '(none)', meaning: 'comma-separated URL prefixes a USAGE_NOTIFICATION duty may post to (e.g. `https://provider.example/notify`); a policy naming any other endpoint is refused as unenforceable' },
  { env: 'FEP_DELETION_SWEEP_MS', default: '60000', meaning: 'how often received data past its USAGE_UNTIL_DELETION deadline is deleted (it is also refused on read at once)' },
  { env: 'FEP_BROKER_URL', default: '(unset: no broker)', meaning: "the Metadata Broker's IDS endpoint, e.g. `https://broker:8080/infrastructure`: the connector registers on start, updates after catalog changes, unregisters on shutdown" },
  { env: 'FEP_CLEARING_HOUSE_URL', default: '(unset: no clearing house)', meaning: "the Clearing House's base URL, e.g. `https://ch:9999`: agreements, transfers and logged uses go to `/messages/log/{pid}` through a durable outbox" },
  { env: 'FEP_SERVICE_POLL_MS', default: '2000', meaning: 'how often the clearing-house outbox and broker retries look for due work' },
  { env: 'FEP_SERVICE_RETRY_MAX_MS', default: '60000', meaning: 'longest backoff between retries to the broker or clearing house (it doubles from FEP_SERVICE_POLL_MS)' },
  { env: 'FEP_DEMO', default: 'false (`npm start` sets true)', meaning: 'seed the demo catalog on an empty database' },
];

type Env = Record<string, string | undefined>;

/** A boot failure the operator fixes (a setting, a file, a port): printed as its message alone, no stack. */
export class BootError extends Error {
  override name = 'BootError';
}

/** Thrown once at boot with every bad setting, so an operator fixes them all in one go. */
export class ConfigValidationError extends BootError {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

export function loadConfig(env: Env, cwd = process.cwd()): ConnectorConfig {
  const problems: string[] = [];
  function read<T>(name: string, parse: Parser<T>, fallback: T): T;
  function read<T>(name: string, parse: Parser<T>): T | undefined;
  function read<T>(name: string, parse: Parser<T>, fallback?: T): T | undefined {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    try {
      return parse(raw);
    } catch (error) {
      problems.push(`${name} ${error instanceof Error ? error.message : String(error)}`);
      return fallback;
    }
  }

  // No default trust: the development DAPS runs only where asked for (the demo, `npm start`).
  const missingDapsMode = (): DapsMode => {
    problems.push(
      'FEP_DAPS_MODE is not set: for a real DAPS set FEP_DAPS_MODE=omejdn and FEP_DAPS_ISSUER=<issuer URL>; FEP_DAPS_MODE=dev serves a development DAPS (the demo: `npm start` sets it); FEP_DAPS_MODE=disabled sends placeholder tokens (trials with TRUE peers only)',
    );
    return 'disabled';
  };
  const port = read('PORT', int(0, 65535), 8443);
  const tls = read('FEP_TLS', bool, true);
  const publicUrl = read('FEP_PUBLIC_URL', httpUrl, `${tls ? 'https' : 'http'}://localhost:${port}`);
  const id = read('FEP_CONNECTOR_ID', iri, `${publicUrl}/`);
  const dataDir = resolve(cwd, read('FEP_DATA_DIR', text, './data'));
  const keystore = read('FEP_KEYSTORE', text);
  const adminUser = read('FEP_ADMIN_USER', text, 'admin');
  const adminPassword = read('FEP_ADMIN_PASSWORD', text);
  const config: ConnectorConfig = {
    server: {
      port,
      host: read('HOST', text, '0.0.0.0'),
      publicUrl,
      tls,
      maxJsonBytes: read('FEP_MAX_JSON_BYTES', int(1024, 1 << 30), 1 << 20),
      uploadMaxBytes: read('FEP_UPLOAD_MAX_BYTES', int(1, Number.MAX_SAFE_INTEGER), 1 << 30),
      headersTimeoutMs: read('FEP_HEADERS_TIMEOUT_MS', int(100, 3_600_000), 10_000),
      requestTimeoutMs: read('FEP_REQUEST_TIMEOUT_MS', int(100, 86_400_000), 300_000),
      idleTimeoutMs: read('FEP_IDLE_TIMEOUT_MS', int(100, 86_400_000), 60_000),
      keepAliveTimeoutMs: read('FEP_KEEPALIVE_TIMEOUT_MS', int(100, 3_600_000), 5_000),
    },
    connector: {
      id,
      title: read('FEP_TITLE', text, `fep-connector on ${hostname()}`),
      description: read('FEP_DESCRIPTION', text, 'IDS connector for an edge node'),
      curator: read('FEP_CURATOR', iri, id),
      maintainer: read('FEP_MAINTAINER', iri, id),
      securityProfile: read('FEP_SECURITY_PROFILE', oneOf(...SECURITY_PROFILES), 'BASE_SECURITY_PROFILE'),
    },
    identity: {
      certsDir: resolve(cwd, read('FEP_CERTS_DIR', text, './certs')),
      ...(keystore === undefined ? {} : { keystore: resolve(cwd, keystore) }),
      keystorePassword: read('FEP_KEYSTORE_PASSWORD', text, 'password'),
    },
    storage: { dataDir, ...optional('databaseUrl', read('FEP_DATABASE_URL', databaseUrl)) },
    admin: { user: adminUser, ...optional('password', adminPassword) },
    dataApp: { user: read('FEP_DATA_APP_USER', text, adminUser), ...optional('password', read('FEP_DATA_APP_PASSWORD', text) ?? adminPassword) },
    ids: {
      dapsMode: read('FEP_DAPS_MODE', oneOf(...DAPS_MODES)) ?? (env['FEP_DAPS_ISSUER'] ? 'omejdn' : missingDapsMode()),
      maxMessageBytes: read('FEP_MAX_MESSAGE_BYTES', int(1024, 1 << 30), 16 << 20),
      timeoutMs: read('FEP_IDS_TIMEOUT_MS', int(100, 3_600_000), 30_000),
      defaultTransport: read('FEP_IDS_TRANSPORT', oneOf(...TRANSPORTS), 'form'),
      peerTransports: read('FEP_PEER_TRANSPORTS', peerTransports, {}),
      ...optional('truststore', read('FEP_TRUSTSTORE', text)),
      truststorePassword: read('FEP_TRUSTSTORE_PASSWORD', text, 'password'),
      resolve: read('FEP_RESOLVE', hostAliases, {}),
      receiveMaxBytes: read('FEP_RECEIVE_MAX_BYTES', int(1, Number.MAX_SAFE_INTEGER), 1 << 30),
    },
    sources: {
      fileDirs: read('FEP_FILE_SOURCE_DIRS', list, []).map((dir) => resolve(cwd, dir)),
      httpConnectTimeoutMs: read('FEP_HTTP_SOURCE_CONNECT_TIMEOUT_MS', int(100, 3_600_000), 10_000),
      httpIdleTimeoutMs: read('FEP_HTTP_SOURCE_IDLE_TIMEOUT_MS', int(100, 3_600_000), 30_000),
    },
    audit: {
      retentionDays: read('FEP_AUDIT_RETENTION_DAYS', int(1, 36_500), 30),
      maxRecords: read('FEP_AUDIT_MAX_RECORDS', int(100, 1_000_000_000), 100_000),
      sweepMs: read('FEP_AUDIT_SWEEP_MS', int(100, 86_400_000), 60_000),
    },
    daps: {
      ...optional('tokenUrl', read('FEP_DAPS_URL', httpUrl)),
      ...optional('jwksUrl', read('FEP_DAPS_JWKS_URL', httpUrl)),
      issuers: read('FEP_DAPS_ISSUER', list, []),
      audience: read('FEP_DAPS_AUDIENCE', text, 'idsc:IDS_CONNECTORS_ALL'),
      ...optional('clientId', read('FEP_DAPS_CLIENT_ID', text)),
      minSecurityProfile: read('FEP_SECURITY_PROFILE_MIN', oneOf(...SECURITY_PROFILES), 'BASE_SECURITY_PROFILE'),
      skewSeconds: read('FEP_DAPS_SKEW_SECONDS', int(0, 3600), 60),
      allowMissingReferringConnector: read('FEP_DAPS_ALLOW_MISSING_REFERRING_CONNECTOR', bool, false),
    },
    tlsClientAuth: read('FEP_TLS_CLIENT_AUTH', oneOf('none', 'want', 'require'), 'none'),
    usage: {
      purposes: read('FEP_USAGE_PURPOSES', iriList, []),
      roles: read('FEP_USAGE_ROLES', iriList, []),
      platoonApi: read('FEP_PLATOON_UC_API', oneOf('admin', 'loopback'), 'admin'),
      deletionSweepMs: read('FEP_DELETION_SWEEP_MS', int(100, 86_400_000), 60_000),
      notifyAllowed: read('FEP_USAGE_NOTIFY_ALLOWED', urlPrefixes, []),
    },
    services: {
      ...optional('brokerUrl', read('FEP_BROKER_URL', httpUrl)),
      ...optional('clearingHouseUrl', read('FEP_CLEARING_HOUSE_URL', httpUrl)),
      pollMs: read('FEP_SERVICE_POLL_MS', int(10, 3_600_000), 2000),
      retryMaxMs: read('FEP_SERVICE_RETRY_MAX_MS', int(10, 86_400_000), 60_000),
    },
    demo: read('FEP_DEMO', bool, false),
  };
  if (config.ids.dapsMode === 'omejdn' && config.daps.issuers.length === 0) problems.push('FEP_DAPS_ISSUER is required when FEP_DAPS_MODE=omejdn');
  if (config.tlsClientAuth !== 'none' && !config.server.tls) problems.push('FEP_TLS_CLIENT_AUTH needs FEP_TLS=true');
  if (config.server.headersTimeoutMs > config.server.requestTimeoutMs) problems.push('FEP_HEADERS_TIMEOUT_MS must not exceed FEP_REQUEST_TIMEOUT_MS');
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
