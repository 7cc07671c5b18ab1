import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FixedClock } from '../src/common/clock.js';
import { ConnectorError } from '../src/common/connector.error.js';
import { DapsTokenProvider } from '../src/daps/daps-token.provider.js';
import { makePki, register } from './support/pki.fixture.js';
import { TestDaps } from './support/test-daps.server.js';

describe('DapsTokenProvider against the test DAPS (real HTTP)', () => {
  let daps: TestDaps;
  const pki = makePki(['edge']);
  const edge = pki.parties['edge'];
  const credentials = { clientId: edge.clientId, audience: 'idsc:IDS_CONNECTORS_ALL', keyPem: edge.keyPem, chainPems: [edge.certPem] };

  before(async () => {
    daps = await TestDaps.start();
    register(daps, edge);
  });
  after(async () => daps.stop());

  it('lets concurrent callers share one token request, and reuses the token until shortly before expiry', async () => {
    const clock = new FixedClock(new Date());
    const provider = new DapsTokenProvider({ issuer: daps.issuer }, credentials, clock);
    const start = daps.tokenRequests.length;
    const tokens = await Promise.all(Array.from({ length: 20 }, () => provider.token()));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(daps.tokenRequests.length - start, 1);
    clock.advance(3000 * 1000);
    await provider.token();
    assert.equal(daps.tokenRequests.length - start, 1, 'still cached at 50 min');
    clock.advance(590 * 1000);
    await provider.token();
    assert.equal(daps.tokenRequests.length - start, 2, 'refreshed 30 s before the hour');
  });

  it('an assertion that expired more than 30 s ago is refused as Omejdn words it', async () => {
    const provider = new DapsTokenProvider({ tokenUrl: daps.tokenUrl }, credentials, new FixedClock(new Date(Date.now() - 120_000)));
    await assert.rejects(provider.token(), (e: unknown) => e instanceof ConnectorError && /Signature has expired/.test(e.message));
  });

  it("reports the DAPS's refusal (wrong audience) as Omejdn words it", async () => {
    const provider = new DapsTokenProvider(
      { tokenUrl: daps.tokenUrl },
      { ...credentials, audience: 'urn:wrong' },
      new FixedClock(new Date()),
    );
    // A refusal is a configuration error (hardening finding 18), not an outage: it names what was sent.
    await assert.rejects(
      provider.token(),
      (e: unknown) =>
        e instanceof ConnectorError &&
        e.code === 'MISCONFIGURED' &&
        /Invalid audience/.test(e.message) &&
        e.message.includes(credentials.clientId) &&
        /audience urn:wrong/.test(e.message),
    );
  });
});
