import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDatClaims, securityProfileName, type DatExpectations } from './dat-claims.check.js';

const now = new Date('2026-11-24T12:00:00Z');
const t = now.getTime() / 1000;
const expect: DatExpectations = {
  trustedIssuers: ['https://daps/auth'],
  connectorId: 'urn:me',
  minSecurityProfile: 'TRUST_SECURITY_PROFILE',
  now,
  skewSeconds: 60,
  issuerConnector: 'urn:peer',
};
const current = {
  '@type': 'ids:DatPayload',
  iss: 'https://daps/auth',
  aud: ['idsc:IDS_CONNECTORS_ALL'],
  scope: 'idsc:IDS_CONNECTOR_ATTRIBUTES_ALL',
  exp: t + 3600,
  nbf: t,
  iat: t,
  securityProfile: 'idsc:TRUST_SECURITY_PROFILE',
  referringConnector: 'urn:peer',
  transportCertsSha256: 'ab'.repeat(32),
};
const check = (claims: Record<string, unknown>, e: Partial<DatExpectations> = {}): string | undefined =>
  checkDatClaims(claims, { ...expect, ...e })?.check;

describe('checkDatClaims', () => {
  it('accepts the current Omejdn shape and the legacy v2 shape', () => {
    assert.equal(check(current), undefined);
    assert.equal(
      check({ ...current, scope: undefined, scopes: ['idsc:IDS_CONNECTOR_ATTRIBUTES_ALL'], aud: 'idsc:IDS_CONNECTORS_ALL' }),
      undefined,
    );
    assert.equal(check({ ...current, aud: ['https://w3id.org/idsa/code/IDS_CONNECTORS_ALL'] }), undefined);
    assert.equal(check({ ...current, aud: ['urn:me'] }), undefined, 'our own id is an audience too');
  });

  it('honours the skew at the edges', () => {
    assert.equal(check({ ...current, exp: t - 59 }), undefined);
    assert.equal(check({ ...current, exp: t - 61 }), 'exp');
    assert.equal(check({ ...current, nbf: t + 59 }), undefined);
    assert.equal(check({ ...current, nbf: t + 61 }), 'nbf');
    assert.equal(check({ ...current, iat: t + 61 }), 'iat');
  });

  it('orders security profiles base < trust < trust+, in every spelling', () => {
    assert.equal(check({ ...current, securityProfile: 'idsc:BASE_SECURITY_PROFILE' }), 'securityProfile');
    assert.equal(check({ ...current, securityProfile: 'https://w3id.org/idsa/code/TRUST_PLUS_SECURITY_PROFILE' }), undefined);
    assert.equal(check({ ...current, securityProfile: 'TRUST_SECURITY_PROFILE' }), undefined);
    assert.equal(check({ ...current, securityProfile: 'idsc:GOLD' }), 'securityProfile');
    assert.equal(securityProfileName('idsc:TRUST_PLUS_SECURITY_PROFILE'), 'TRUST_PLUS_SECURITY_PROFILE');
  });

  it('names each failing check', () => {
    assert.equal(check({ ...current, '@type': 'ids:Token' }), '@type');
    assert.equal(check({ ...current, iss: 'https://evil' }), 'iss');
    assert.equal(check({ ...current, aud: ['x'] }), 'aud');
    assert.equal(check({ ...current, scope: 'openid' }), 'scope');
    assert.equal(check({ ...current, exp: undefined }), 'exp');
    assert.equal(check({ ...current, referringConnector: 'urn:other' }), 'referringConnector');
    assert.equal(check(current, { peerCertSha256: 'cd'.repeat(32) }), 'transportCertsSha256');
    assert.equal(
      check({ ...current, transportCertsSha256: ['00', 'AB:'.repeat(31) + 'AB'] }, { peerCertSha256: 'ab'.repeat(32) }),
      undefined,
      'colon and upper-case forms',
    );
  });

  it('checks the certificate binding only when the peer presented a certificate', () => {
    assert.equal(check({ ...current, transportCertsSha256: undefined }), undefined);
  });

  it('fails closed on a token without referringConnector, unless the operator accepts such registrations', () => {
    // Hardening finding 5: the claim was compared only when present, so such a token spoke for any issuer.
    assert.equal(check({ ...current, referringConnector: undefined }), 'referringConnector');
    assert.equal(check({ ...current, referringConnector: 42 }), 'referringConnector');
    assert.equal(check({ ...current, referringConnector: undefined }, { allowMissingReferringConnector: true }), undefined);
    assert.equal(
      check({ ...current, referringConnector: 'urn:other' }, { allowMissingReferringConnector: true }),
      'referringConnector',
      'a present claim is still compared',
    );
  });
});
