import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digestAuthorization, parseDigestChallenge } from './digest.auth.js';

// RFC 7616, section 3.9.1: the worked example (user Mufasa, password "Circle of Life").
const CHALLENGES = [
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
];
const REQUEST = { user: 'Mufasa', password: 'Circle of Life', method: 'GET', uri: '/dir/index.html', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ', nc: 1 };

describe('HTTP Digest authentication (RFC 7616)', () => {
  it('computes the RFC’s SHA-256 and MD5 responses', () => {
    const sha = parseDigestChallenge([CHALLENGES[0]])!;
    assert.equal(sha.algorithm, 'SHA-256');
    assert.match(digestAuthorization(sha, REQUEST), /response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"/);
    const md5 = parseDigestChallenge([CHALLENGES[1]])!;
    const header = digestAuthorization(md5, REQUEST);
    assert.match(header, /response="8ca523f5e9506fed4657c9700eebdbec"/);
    assert.match(header, /qop=auth, nc=00000001, cnonce="f2\/wE4q74E6zIJEtWaHKaf5wv\/H5QzzpXusqGemxURZJ"/);
    assert.match(header, /opaque="FQhe\/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"/);
  });

  it('prefers SHA-256 when both are offered, ignores Basic, and reads the RFC 2069 form without qop', () => {
    assert.equal(parseDigestChallenge(['Basic realm="cam"', CHALLENGES[1], CHALLENGES[0]])!.algorithm, 'SHA-256');
    assert.equal(parseDigestChallenge(['Basic realm="cam"']), undefined);
    const old = parseDigestChallenge(['Digest realm="cam", nonce="abc"'])!;
    assert.equal(old.qop, undefined);
    assert.doesNotMatch(digestAuthorization(old, REQUEST), /qop=/);
  });
});
