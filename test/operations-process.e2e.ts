import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startConnectorProcess, type ConnectorProcess } from './support/connector.process.js';
import { freePort } from './support/free-port.js';
import { send } from './support/http.client.js';
import { formBody, idsHeader } from './support/ids.fixtures.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;

/**
 * The connector as an operator runs it (main.js, output to a file or a collector): JSON log lines with
 * correlation ids, one access line per IDS exchange, start and stop logged once; and FEP_ADMIN_PORT, which keeps
 * the admin API, Swagger UI, metrics and the live page off the IDS port.
 */
describe('operations of a connector process: JSON logs, admin port', () => {
  const root = mkdtempSync(join(tmpdir(), 'fep-ops-'));
  const auth = { authorization: 'Basic ' + Buffer.from('admin:ops-secret').toString('base64') };
  let node: ConnectorProcess;
  let ids: string;
  let admin: string;

  before(async () => {
    const port = await freePort();
    let adminPort = await freePort();
    while (adminPort === port) adminPort = await freePort();
    ids = `https://127.0.0.1:${port}`;
    admin = `https://127.0.0.1:${adminPort}`;
    node = await startConnectorProcess(
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        FEP_ADMIN_PORT: String(adminPort),
        FEP_PUBLIC_URL: ids,
        FEP_DATA_DIR: join(root, 'data'),
        FEP_CERTS_DIR: join(root, 'certs'),
        FEP_DAPS_MODE: 'dev',
        FEP_ADMIN_PASSWORD: 'ops-secret',
      },
      join(root, 'certs'),
    );
  });
  after(async () => {
    await node?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('the IDS port serves only what partners call; the admin port serves the rest', async () => {
    const ca = node.ca;
    assert.equal((await send('GET', `${ids}/`, { ca })).status, 200, 'self-description');
    assert.equal((await send('GET', `${ids}/health`, { ca })).status, 200);
    const hidden = await send('GET', `${ids}/api/resources`, { ca, headers: auth });
    assert.equal(hidden.status, 404, hidden.text);
    const docs = await send('GET', `${ids}/api/docs`, { ca });
    assert.equal(docs.status, 404);
    assert.match(String(docs.headers['content-type']), /^application\/problem\+json/);
    assert.match(hidden.text, /"type":"about:blank"/);
    assert.equal((await send('GET', `${ids}/metrics`, { ca, headers: auth })).status, 404);
    assert.equal((await send('GET', `${admin}/api/resources`, { ca, headers: auth })).status, 200);
    assert.equal((await send('GET', `${admin}/api/resources`, { ca })).status, 401);
    assert.equal((await send('GET', `${admin}/metrics`, { ca, headers: auth })).status, 200);
    const page = await send('GET', `${admin}/live`, { ca, headers: auth });
    assert.equal(page.status, 200);
    assert.match(page.text, /<title>fep-connector · live<\/title>/);
    // Hardening round 3, finding 11: the IDS port served the document under other spellings, without credentials.
    for (const path of ['/api/docs-json', '/api/docs-yaml', '/API/DOCS-JSON', '/api/docs-json/', '/Api/Docs/', '//api/docs-json']) {
      assert.equal((await send('GET', `${ids}${path}`, { ca, headers: auth })).status, 404, `IDS port ${path}`);
      assert.equal((await send('GET', `${admin}${path}`, { ca })).status, 401, `admin port ${path} without credentials`);
    }
    assert.equal((await send('GET', `${admin}/api/docs`, { ca })).status, 401);
    assert.equal((await send('GET', `${admin}/api/docs`, { ca, headers: auth })).status, 200);
    assert.equal((await send('GET', `${admin}/api/docs-json`, { ca, headers: auth })).status, 200);
  });

  it('logs JSON lines: an access line per IDS exchange carrying the message @id, the client’s request id on admin calls', async () => {
    const header = idsHeader('ids:DescriptionRequestMessage');
    const { body, headers } = formBody(header);
    const reply = await send('POST', `${ids}/data`, { ca: node.ca, body, headers: { ...headers, 'x-request-id': 'ids-check-7' } });
    assert.match(reply.text, /NOT_AUTHENTICATED/);
    // POST /data is answered ahead of Express: the request id still comes back, and Express's other spelling of the
    // route (a trailing slash) is the same endpoint.
    assert.equal(reply.headers['x-request-id'], 'ids-check-7');
    const slash = formBody(idsHeader('ids:DescriptionRequestMessage'));
    assert.match((await send('POST', `${ids}/data/`, { ca: node.ca, body: slash.body, headers: slash.headers })).text, /NOT_AUTHENTICATED/);
    const called = await send('GET', `${admin}/api/nothing-here`, { ca: node.ca, headers: { ...auth, 'x-request-id': 'ops-check-42' } });
    assert.equal(called.headers['x-request-id'], 'ops-check-42');
    const access = await waitFor('the access line of the exchange', () => {
      const lines = node
        .log()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Json);
      return lines.find((l) => l.context === 'Access' && l.messageId === header['@id']);
    });
    assert.equal(access.correlationId, header['@id']);
    assert.equal(access.outcome, 'NOT_AUTHENTICATED');
    assert.equal(access.direction, 'inbound');
    assert.equal(access.level, 'info');
    assert.equal(typeof access.ms, 'number');
    assert.match(access.time, /^\d{4}-\d\d-\d\dT/);
  });

  it('refused messages with made-up types create no metrics series, and their access lines are bounded', async () => {
    // Hardening round 3, finding 1: every inbound @type became a label: 2,000 made-up types added 32,000 lines to
    // /metrics (and 400,000 made a scrape answer 500), each one also an access line.
    const series = async (): Promise<string[]> =>
      (await send('GET', `${admin}/metrics`, { ca: node.ca, headers: auth })).text
        .split('\n')
        .filter((l) => l.startsWith('fep_ids') || l.startsWith('fep_dat'));
    const before = await series();
    const linesBefore = node.log().split('\n').length;
    const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: node.ca });
    const flood = 2000;
    let refused = 0;
    let odd: string | undefined;
    for (let i = 0; i < flood; i += 8) {
      await Promise.all(
        Array.from({ length: 8 }, async (_, j) => {
          const transport = (i + j) % 3;
          const header = idsHeader(`ids:Made${i + j}UpMessage${'x'.repeat(200)}`);
          const message =
            transport === 2
              ? {
                  body: '',
                  headers: {
                    'IDS-Messagetype': String(header['@type']),
                    'IDS-Id': String(header['@id']),
                    'IDS-Issued': '2026-01-01T00:00:00Z',
                    'IDS-ModelVersion': '4.1.0',
                    'IDS-IssuerConnector': 'http://x/' + 'y'.repeat(1000),
                    'IDS-SecurityToken-TokenValue': 'forged',
                  },
                }
              : formBody(header);
          const headers =
            transport === 1
              ? { ...message.headers, 'content-type': String(message.headers['content-type']).replace('form-data', 'mixed') }
              : message.headers;
          const reply = await send('POST', `${ids}/data`, { ca: node.ca, body: message.body, headers, agent });
          if (/NOT_AUTHENTICATED|MALFORMED_MESSAGE|MESSAGE_TYPE_NOT_SUPPORTED/.test(reply.text + JSON.stringify(reply.headers))) {
            refused++;
          } else {
            odd ??= `${reply.status} ${JSON.stringify(reply.headers)} ${/rejectionReason[^}]*/.exec(reply.text)?.[0] ?? reply.text.slice(0, 300)}`;
          }
        }),
      );
    }
    agent.destroy();
    assert.equal(refused, flood, `every made-up message was refused, not ${odd}`);
    const after = await series();
    assert.equal(
      after.length,
      before.length,
      `new series:\n${after
        .filter((l) => !before.includes(l.replace(/ \S+$/, '')))
        .slice(0, 5)
        .join('\n')}`,
    );
    assert.ok(!after.some((l) => /Made\d+Up/.test(l)), 'no made-up type is a label value');
    const other = after.find((l) =>
      l.startsWith('fep_ids_messages_total{direction="inbound",type="other",transport="form",outcome="MESSAGE_TYPE_NOT_SUPPORTED"}'),
    );
    assert.ok(other !== undefined && Number(other.split(' ').pop()) >= 600, other);
    const logged = node
      .log()
      .split('\n')
      .slice(linesBefore - 1)
      .filter((l) => l.includes('"context":"Access"'));
    // 20 lines per 10 s window at most, whatever the rate; none longer than the echo bound allows.
    assert.ok(logged.length <= 60, `${logged.length} access lines for ${flood} refused messages`);
    assert.ok(
      logged.every((l) => l.length < 2000),
      'sender-chosen strings are cut',
    );
    console.log(
      `# ${flood} refused messages with made-up types: ${after.length - before.length} new series, ${logged.length} access lines`,
    );
  });

  it('every line is JSON without colour codes; start and stop are logged once each', async () => {
    await node.stop();
    const out = node.log();
    assert.ok(!out.includes('\u001b['), 'no ANSI colour codes');
    const lines = out.split('\n').filter((l) => l.trim() !== '');
    const parsed = lines.map((l) => {
      try {
        return JSON.parse(l) as Json;
      } catch {
        assert.fail(`not a JSON line: ${l}`);
      }
    });
    const events = parsed.map((l) => l.event).filter((e) => e !== undefined);
    assert.deepEqual(events, ['started', 'stopping', 'stopped']);
    assert.equal(node.child.exitCode, 0);
    // Nest's per-route start-up chatter is debug, not the operator's log.
    assert.ok(!parsed.some((l) => l.context === 'RouterExplorer'));
  });
});
