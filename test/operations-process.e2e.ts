import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    assert.equal((await send('GET', `${admin}/api/docs`, { ca })).status, 200);
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
