import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AgreementRepository } from '../src/contracts/agreement.repository.js';
import { adminCall } from './support/admin.client.js';
import { startConnectorProcess, type ConnectorProcess } from './support/connector.process.js';
import { freePort } from './support/free-port.js';
import { send } from './support/http.client.js';
import { artifactRequestHeader, fixtureAgreement, formBody, idsHeader, offerArtifact, parseReply } from './support/ids.fixtures.js';
import { makePki, omejdnEnv, register, type Party } from './support/pki.fixture.js';
import { TestDaps } from './support/test-daps.server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { negotiate } from './support/usage.fixtures.js';

type Json = Record<string, any>;

/**
 * N_TIMES_USAGE under load: 100 requests at once against a limit of 10 get exactly 10 answers with data. On SQLite
 * the count is held in memory and reserved synchronously (use.counters.ts); on PostgreSQL, when .ci/run sets
 * FEP_TEST_DATABASE_URL, each use is claimed with one conditional UPDATE.
 */
describe('N_TIMES_USAGE counters are atomic (e2e)', () => {
  let provider: TestApp;
  let artifact: Json;
  const agreementIri = 'https://w3id.org/idsa/autogen/contractAgreement/count-10';

  before(async () => {
    provider = await startTestApp();
    ({ artifact } = await offerArtifact(provider, Buffer.from('{"occupancy":42}')));
    const fixture = fixtureAgreement(agreementIri, 'http://w3id.org/engrd/connector/consumer', [artifact.iri]);
    const permission = (fixture.document['ids:permission'] as Json[])[0];
    permission['ids:constraint'] = [
      {
        'ids:leftOperand': { '@id': 'idsc:COUNT' },
        'ids:operator': { '@id': 'idsc:LTEQ' },
        'ids:rightOperand': { '@value': '10', '@type': 'xsd:double' },
      },
    ];
    await provider.app.get(AgreementRepository).save(fixture);
  });
  after(async () => {
    await provider.close();
  });

  it('100 concurrent artifact requests against a limit of 10 serve exactly 10; the rest are NOT_AUTHORIZED', async () => {
    const request = (): Promise<string> => {
      const { body, headers } = formBody(
        idsHeader('ids:ArtifactRequestMessage', {
          'ids:requestedArtifact': { '@id': artifact.iri },
          'ids:transferContract': { '@id': agreementIri },
        }),
      );
      return send('POST', `${provider.baseUrl}/data`, { headers, body }).then((r) => {
        assert.equal(r.status, 200);
        const reply = parseReply(r.text);
        if (reply.header['@type'] === 'ids:ArtifactResponseMessage') return 'served';
        assert.equal(reply.header['ids:rejectionReason']['@id'], 'https://w3id.org/idsa/code/NOT_AUTHORIZED');
        return 'refused';
      });
    };
    const outcomes = await Promise.all(Array.from({ length: 100 }, request));
    assert.equal(outcomes.filter((o) => o === 'served').length, 10);
    assert.equal(outcomes.filter((o) => o === 'refused').length, 90);
    const log = (await provider.call('GET', `/api/usage/log?agreement=${encodeURIComponent(agreementIri)}&size=200`)).json<Json>();
    assert.equal(log.total, 100);
    assert.equal(log.items.filter((e: Json) => e.permitted).length, 10);
  });
});

/**
 * N_TIMES_USAGE across kill -9 of the provider under concurrent load. On SQLite the count lives in memory and each
 * use is written with its exchange's audit row before the reply leaves (use.counters.ts): every use whose answer a
 * client received is on disk after the kill, a use reserved but not committed is not, and the restart counts on from
 * what was committed, so the limit is met exactly.
 */
describe('N_TIMES_USAGE stays exact across kill -9 of the provider (e2e, separate process)', () => {
  const LIMIT = 40;
  const dir = mkdtempSync(join(tmpdir(), 'fep-count-kill-'));
  let daps: TestDaps;
  let parties: Record<string, Party>;
  let caPem: string;
  let env: Record<string, string>;
  let base: string;
  let provider: ConnectorProcess | undefined;
  let consumer: TestApp;

  before(async () => {
    daps = await TestDaps.start();
    const pki = makePki(['provider', 'consumer']);
    ({ parties, caPem } = pki);
    for (const party of Object.values(parties)) register(daps, party);
    const port = await freePort();
    base = `https://127.0.0.1:${port}`;
    env = {
      ...omejdnEnv(parties['provider'], pki.caFile, daps),
      PORT: String(port),
      HOST: '127.0.0.1',
      FEP_PUBLIC_URL: base,
      FEP_DATA_DIR: join(dir, 'data'),
      FEP_CERTS_DIR: join(dir, 'certs'),
      FEP_ADMIN_PASSWORD: 'count-kill',
    };
    provider = await startConnectorProcess(env, join(dir, 'certs'), caPem);
    consumer = await startTestApp(omejdnEnv(parties['consumer'], pki.caFile, daps));
  });
  after(async () => {
    await provider?.stop();
    await consumer.close();
    await daps.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const admin = (method: string, path: string, json?: unknown, raw?: Buffer): Promise<Json> =>
    adminCall({ base, password: 'count-kill', ca: caPem }, method, path, json, raw);
  const permittedUses = async (agreement: string): Promise<number> => {
    const log = await admin('GET', `/api/usage/log?agreement=${encodeURIComponent(agreement)}&size=200`);
    return (log.items as Json[]).filter((e) => e.permitted).length;
  };

  it('every answered use is on disk after the kill, and the restart serves exactly the rest of the limit', async () => {
    const resource = await admin('POST', '/api/resources', { title: 'Pump events' });
    const rep = await admin('POST', '/api/representations', { resourceId: resource.id, mediaType: 'application/json' });
    const artifact = await admin('POST', '/api/artifacts', { representationId: rep.id });
    await admin('PUT', `/api/artifacts/${artifact.id}/data`, undefined, Buffer.from('{"event":"bearing wear"}'));
    const built = await admin('POST', '/api/policies/offers', {
      target: artifact.iri,
      pattern: 'N_TIMES_USAGE',
      parameters: { count: String(LIMIT) },
    });
    const offer = await admin('POST', '/api/contract-offers', { resourceId: resource.id, offer: built });
    const agreement = await negotiate(consumer, { baseUrl: base } as TestApp, offer);
    const token = await daps.mint(parties['consumer'].clientId);
    /** One ArtifactRequestMessage sent by hand: 'served', 'spent' (NOT_AUTHORIZED) or 'failed' (no IDS answer). */
    const request = async (): Promise<'served' | 'spent' | 'failed'> => {
      const { body, headers } = formBody(artifactRequestHeader(parties['consumer'].connectorId, artifact.iri, agreement.iri, token));
      try {
        const reply = parseReply((await send('POST', `${base}/data`, { headers, body, ca: caPem })).text).header;
        if (reply['@type'] === 'ids:ArtifactResponseMessage') return 'served';
        assert.equal(reply['ids:rejectionReason']?.['@id'], 'https://w3id.org/idsa/code/NOT_AUTHORIZED', JSON.stringify(reply));
        return 'spent';
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        return 'failed';
      }
    };

    // Eight clients in a loop; the provider is killed the moment a third of the limit has been answered.
    let answered = 0;
    let killed = false;
    const client = async (): Promise<void> => {
      while (!killed) {
        const outcome = await request();
        assert.notEqual(outcome, 'spent', 'the limit was reached before the kill');
        if (outcome === 'served' && ++answered >= LIMIT / 3 && !killed) {
          killed = true;
          provider!.child.kill('SIGKILL');
        }
      }
    };
    const exited = new Promise((resolve) => provider!.child.once('exit', resolve));
    await Promise.all(Array.from({ length: 8 }, client));
    await exited;

    provider = await startConnectorProcess(env, join(dir, 'certs'), caPem);
    const committed = await permittedUses(agreement.iri);
    assert.ok(committed >= answered, `${answered} uses were answered, so all of them are on disk (found ${committed})`);
    let after = 0;
    for (;;) {
      const outcome = await request();
      assert.notEqual(outcome, 'failed');
      if (outcome === 'spent') break;
      after++;
    }
    assert.equal(committed + after, LIMIT, `${committed} uses on disk at the restart, ${after} served after it`);
    assert.equal(await permittedUses(agreement.iri), LIMIT);
  });
});
