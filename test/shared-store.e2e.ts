import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send } from './support/http.client.js';
import { formBody, idsHeader, parseReply } from './support/ids.fixtures.js';
import { makePki, omejdnEnv, register, type Party } from './support/pki.fixture.js';
import { TestDaps } from './support/test-daps.server.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const shared = process.env['FEP_TEST_DATABASE_URL'];

/**
 * Two instances of one connector on one PostgreSQL store (the design card's multi-instance set-up): a message
 * accepted by one is a replay at the other. Runs in the PostgreSQL round of .ci/run.
 */
describe(
  'two instances sharing a PostgreSQL store (e2e)',
  { skip: shared ? false : 'needs FEP_TEST_DATABASE_URL (the PostgreSQL round)' },
  () => {
    let daps: TestDaps;
    let party: Party;
    let first: TestApp;
    let second: TestApp;

    before(async () => {
      daps = await TestDaps.start();
      const pki = makePki(['edge']);
      party = pki.parties['edge']!;
      const caFile = pki.caFile;
      register(daps, party);
      first = await startTestApp(omejdnEnv(party, caFile, daps));
      second = await startTestApp(omejdnEnv(party, caFile, daps), { restartOf: first });
    });
    after(async () => {
      await second?.stop();
      await first?.close();
      await daps.stop();
    });

    it('share replay protection: the same signed message is accepted once across both', async () => {
      const header = idsHeader('ids:DescriptionRequestMessage', {
        'ids:issuerConnector': { '@id': party.connectorId },
        'ids:senderAgent': { '@id': party.connectorId },
        'ids:securityToken': {
          '@type': 'ids:DynamicAttributeToken',
          'ids:tokenValue': await daps.mint(party.clientId),
          'ids:tokenFormat': { '@id': 'https://w3id.org/idsa/code/JWT' },
        },
      });
      const { body, headers } = formBody(header);
      const at = async (t: TestApp) =>
        parseReply((await send('POST', `${t.baseUrl}/data`, { headers, body, ca: t.identity.chainPems.join('\n') })).text).header;
      const accepted = await at(first);
      assert.equal(accepted['@type'], 'ids:DescriptionResponseMessage');
      const replayed = await at(second);
      assert.equal(replayed['@type'], 'ids:RejectionMessage');
      assert.equal(replayed['ids:rejectionReason']['@id'], 'https://w3id.org/idsa/code/NOT_AUTHENTICATED');
    });
  },
);
