import assert from 'node:assert/strict';
import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { exportJWK, SignJWT, type JSONWebKeySet } from 'jose';
import { FixedClock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import type { IdsMessage } from '../ids/messages/message.types.js';
import { DatVerifier } from './dat.verifier.js';
import { Readable } from 'node:stream';
import type { HttpFetch } from '../common/http/http.client.js';

const now = new Date('2026-11-24T12:00:00Z');
const t = Math.floor(now.getTime() / 1000);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const secret = createSecretKey(Buffer.from('a shared secret that must never verify a DAT'));
const claims = {
  '@type': 'ids:DatPayload',
  scope: 'idsc:IDS_CONNECTOR_ATTRIBUTES_ALL',
  securityProfile: 'idsc:BASE_SECURITY_PROFILE',
  referringConnector: 'urn:peer',
};

async function jwks(): Promise<JSONWebKeySet> {
  return {
    keys: [
      { ...(await exportJWK(publicKey)), kid: 'rsa', alg: 'RS256' },
      { ...(await exportJWK(secret)), kid: 'oct' },
    ],
  };
}

function sign(alg: 'RS256' | 'HS256', kid: string, exp = t + 60): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid })
    .setIssuer('https://daps/auth')
    .setAudience(['idsc:IDS_CONNECTORS_ALL'])
    .setSubject('peer')
    .setIssuedAt(t)
    .setExpirationTime(exp)
    .sign(alg === 'RS256' ? privateKey : secret);
}

function message(token: string, id = `urn:msg:${Math.random()}`): IdsMessage {
  return {
    id,
    type: 'ids:DescriptionRequestMessage',
    modelVersion: '4.2.7',
    issued: now.toISOString(),
    issuerConnector: 'urn:peer',
    senderAgent: 'urn:peer',
    recipientConnector: [],
    recipientAgent: [],
    securityToken: { tokenValue: token },
    header: {},
  };
}

async function verifier(clock: FixedClock): Promise<DatVerifier> {
  const set = await jwks();
  return new DatVerifier(
    {
      jwks: { keys: () => set },
      trustedIssuers: ['https://daps/auth'],
      connectorId: 'urn:me',
      minSecurityProfile: 'BASE_SECURITY_PROFILE',
      skewSeconds: 60,
    },
    clock,
  );
}

const failedCheck = (e: unknown): string => (e instanceof ConnectorError ? e.message : String(e));

describe('DatVerifier', () => {
  it('verifies an RS256 DAT against the JWKS', async () => {
    const v = await verifier(new FixedClock(now));
    assert.equal((await v.verify(message(await sign('RS256', 'rsa')))).subject, 'peer');
  });

  it('never accepts HMAC or unsigned tokens, even when the JWKS holds a shared secret', async () => {
    // Hardening finding 9: the accepted algorithms are pinned, not left to the library's defaults.
    const v = await verifier(new FixedClock(now));
    await assert.rejects(v.verify(message(await sign('HS256', 'oct'))), (e) => /DAT check failed: (kid|signature)/.test(failedCheck(e)));
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'rsa' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ ...claims, iss: 'https://daps/auth', exp: t + 60 })).toString('base64url');
    await assert.rejects(v.verify(message(`${header}.${payload}.`)), (e) => /DAT check failed: signature/.test(failedCheck(e)));
  });

  it('judges expiry by the injected clock, and remembers a message id as long as its token can still be accepted', async () => {
    const clock = new FixedClock(now);
    const v = await verifier(clock);
    const token = await sign('RS256', 'rsa', t + 10);
    const first = message(token, 'urn:msg:replayed');
    await v.verify(first);
    // Hardening finding 6: ids were forgotten at exp, while the token is accepted until exp + skew.
    clock.set(new Date((t + 40) * 1000));
    await assert.rejects(v.verify(first), (e) => /replay/.test(failedCheck(e)));
    clock.set(new Date((t + 71) * 1000));
    await assert.rejects(v.verify(first), (e) => /exp: expired/.test(failedCheck(e)), 'past exp + skew the token itself is refused');
  });

  it('takes a sender’s retry (same @id, issued anew) and refuses the same message again', async () => {
    const t = Math.floor(now.getTime() / 1000);
    const v = await verifier(new FixedClock(now));
    const token = await sign('RS256', 'rsa', t + 600);
    const first = message(token, 'urn:msg:retried');
    await v.verify(first);
    await assert.rejects(v.verify({ ...first }), (e) => /replay/.test(failedCheck(e)), 'the same message again');
    await v.verify({ ...first, issued: new Date(now.getTime() + 5000).toISOString() });
  });

  it('checks a token’s signature once, its message-bound claims every time, and drops it when the DAPS drops its key', async () => {
    const clock = new FixedClock(now);
    let served = await jwks();
    let fetches = 0;
    const fetchStub: HttpFetch = () => {
      fetches++;
      const text = JSON.stringify(served);
      return Promise.resolve({
        ok: true,
        status: 200,
        headers: { get: () => null },
        body: Readable.from([text]),
        text: () => Promise.resolve(text),
        json: () => Promise.resolve(JSON.parse(text) as unknown),
        arrayBuffer: () => Promise.resolve(new TextEncoder().encode(text).buffer),
      });
    };
    const v = new DatVerifier(
      {
        jwks: { url: () => Promise.resolve('https://daps/jwks') },
        trustedIssuers: ['https://daps/auth'],
        connectorId: 'urn:me',
        minSecurityProfile: 'BASE_SECURITY_PROFILE',
        skewSeconds: 60,
        refetchIntervalMs: 0,
      },
      clock,
      fetchStub,
    );
    const token = await sign('RS256', 'rsa', t + 600);
    for (let i = 0; i < 5; i++) await v.verify(message(token));
    assert.equal(fetches, 1);
    // The cached token is still bound to each message: another issuer than its referringConnector is refused.
    await assert.rejects(v.verify({ ...message(token), issuerConnector: 'urn:other' }), (e) =>
      /referringConnector|issuer/.test(failedCheck(e)),
    );
    // The DAPS rotates its key away: once the keys are fetched again, the old token is refused.
    const { privateKey: nextKey, publicKey: nextPublic } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    served = { keys: [{ ...(await exportJWK(nextPublic)), kid: 'next', alg: 'RS256' }] };
    const next = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'next' })
      .setIssuer('https://daps/auth')
      .setAudience(['idsc:IDS_CONNECTORS_ALL'])
      .setSubject('peer')
      .setIssuedAt(t)
      .setExpirationTime(t + 600)
      .sign(nextKey);
    await v.verify(message(next));
    await assert.rejects(v.verify(message(token)), (e) => /DAT check failed: kid/.test(failedCheck(e)));
    // Past its expiry (and the skew) a cached token is refused like any other.
    clock.set(new Date((t + 700) * 1000));
    await assert.rejects(v.verify(message(next)), (e) => /exp/.test(failedCheck(e)));
  });
});
