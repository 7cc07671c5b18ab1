/**
 * A test DAPS: a real HTTP server speaking Omejdn 1.x's token protocol (IDS-G DAPS; Omejdn docs/Usage).
 * Clients are registered with their certificate; the client assertion is checked as Omejdn 1.6 does (signature
 * with the registered certificate, iss = sub, aud, expiry with 30 s leeway), and errors are answered as Omejdn
 * answers them (HTTP 400, invalid_client: "Client unknown", "Invalid audience", "Signature has expired").
 * DATs carry Omejdn's claim set. Keys are made at start; `rotate()` replaces them; `mint()` forges tokens.
 */
import { createHash, generateKeyPairSync, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, compactVerify, decodeJwt, exportJWK, SignJWT, type JWK } from 'jose';

export interface RegisteredClient {
  certPem: string;
  securityProfile?: string;
  referringConnector?: string;
  transportCertsSha256?: string | string[];
}

interface SigningKey {
  privateKey: KeyObject;
  kid: string;
  jwk: JWK;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  return { privateKey, kid: await calculateJwkThumbprint(jwk), jwk };
}

export function certSha256(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

export class TestDaps {
  readonly clients = new Map<string, RegisteredClient>();
  /** Client assertions received (claims), newest last. */
  readonly assertions: Record<string, unknown>[] = [];
  /** Form bodies of token requests received. */
  readonly tokenRequests: URLSearchParams[] = [];
  private server?: Server;
  private port = 0;

  private constructor(
    private key: SigningKey,
    private readonly tls?: { key: string; cert: string },
  ) {}

  /** Over HTTPS when `tls` is given (a DAPS behind an operator CA). */
  static async start(tls?: { key: string; cert: string }): Promise<TestDaps> {
    const daps = new TestDaps(await newKey(), tls);
    await daps.listen();
    return daps;
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }
  get issuer(): string {
    return `${this.url}/auth`;
  }
  get tokenUrl(): string {
    return `${this.issuer}/token`;
  }
  get jwksUrl(): string {
    return `${this.issuer}/jwks.json`;
  }
  get kid(): string {
    return this.key.kid;
  }

  register(clientId: string, client: RegisteredClient): void {
    this.clients.set(clientId, client);
  }

  async rotate(): Promise<void> {
    this.key = await newKey();
  }

  /** A DAT with Omejdn's claims for `clientId`, changed by `overrides` (undefined deletes a claim). */
  async mint(
    clientId: string,
    overrides: Record<string, unknown> = {},
    signWith: 'current' | 'foreign' = 'current',
    kid?: string,
  ): Promise<string> {
    const client = this.clients.get(clientId);
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      '@context': 'https://w3id.org/idsa/contexts/context.jsonld',
      '@type': 'ids:DatPayload',
      iss: this.issuer,
      sub: clientId,
      aud: ['idsc:IDS_CONNECTORS_ALL'],
      scope: 'idsc:IDS_CONNECTOR_ATTRIBUTES_ALL',
      nbf: now,
      iat: now,
      exp: now + 3600,
      jti: randomUUID(),
      client_id: clientId,
      securityProfile: client?.securityProfile ?? 'idsc:BASE_SECURITY_PROFILE',
      ...(client?.referringConnector ? { referringConnector: client.referringConnector } : {}),
      ...(client?.transportCertsSha256 ? { transportCertsSha256: client.transportCertsSha256 } : {}),
      ...overrides,
    };
    for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
    const key = signWith === 'current' ? this.key.privateKey : (await newKey()).privateKey;
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: kid ?? this.key.kid }).sign(key);
  }

  private async token(form: URLSearchParams): Promise<{ status: number; body: unknown }> {
    this.tokenRequests.push(form);
    const fail = (description: string): { status: number; body: unknown } => ({
      status: 400,
      body: { error: 'invalid_client', error_description: description },
    });
    const assertion = form.get('client_assertion');
    if (
      form.get('grant_type') !== 'client_credentials' ||
      form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' ||
      !assertion
    ) {
      return { status: 400, body: { error: 'invalid_request', error_description: 'Missing parameters' } };
    }
    let claims: Record<string, unknown>;
    try {
      claims = decodeJwt(assertion);
    } catch {
      return fail('Client unknown');
    }
    this.assertions.push(claims);
    const client = typeof claims['sub'] === 'string' ? this.clients.get(claims['sub']) : undefined;
    if (!client || claims['iss'] !== claims['sub']) return fail('Client unknown');
    try {
      await compactVerify(assertion, new X509Certificate(client.certPem).publicKey);
    } catch {
      return fail('Client unknown');
    }
    const aud = Array.isArray(claims['aud']) ? claims['aud'] : [claims['aud']];
    if (!aud.includes('idsc:IDS_CONNECTORS_ALL')) return fail('Invalid audience');
    if (typeof claims['exp'] !== 'number' || claims['exp'] + 30 < Date.now() / 1000) return fail('Signature has expired');
    const token = await this.mint(claims['sub'] as string);
    return {
      status: 200,
      body: { access_token: token, expires_in: 3600, token_type: 'bearer', scope: 'idsc:IDS_CONNECTOR_ATTRIBUTES_ALL' },
    };
  }

  private listen(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const reply = (status: number, body: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        };
        if (req.method === 'POST' && req.url === '/auth/token') {
          this.token(new URLSearchParams(Buffer.concat(chunks).toString())).then(
            ({ status, body }) => reply(status, body),
            (e: Error) => reply(500, { error: e.message }),
          );
        } else if (req.url === '/auth/jwks.json') {
          reply(200, { keys: [{ ...this.key.jwk, kid: this.key.kid, alg: 'RS256', use: 'sig' }] });
        } else if (req.url === '/.well-known/oauth-authorization-server/auth') {
          reply(200, { issuer: this.issuer, token_endpoint: this.tokenUrl, jwks_uri: this.jwksUrl });
        } else {
          reply(404, { error: 'not found' });
        }
      });
    };
    this.server = this.tls ? createHttpsServer(this.tls, handler) : createServer(handler);
    return new Promise((resolve) =>
      this.server!.listen(this.port, '127.0.0.1', () => {
        this.port = (this.server!.address() as AddressInfo).port;
        resolve();
      }),
    );
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }

  /** Starts again on the same port (after stop). */
  async restart(): Promise<void> {
    await this.listen();
  }
}
