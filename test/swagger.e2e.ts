import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXAMPLE_ID } from '../src/common/http/body-example.decorator.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Json = Record<string, any>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('Swagger UI: grouped, summarised, examples that are accepted, one error format', () => {
  let t: TestApp;
  let doc: Json;
  const operations: { method: string; path: string; op: Json }[] = [];

  before(async () => {
    t = await startTestApp();
    const res = await t.call('GET', '/api/docs-json');
    assert.equal(res.status, 200);
    doc = res.json<Json>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const method of METHODS) if (item[method]) operations.push({ method, path, op: item[method] });
    }
  });
  after(() => t.close());

  it('groups operations in the order a user needs them, each with a summary, none twice', () => {
    const tags = (doc.tags as Json[]).map((tag) => tag.name as string);
    assert.deepEqual(tags.slice(0, 8), [
      'catalog',
      'usage control',
      'consumer',
      'data apps',
      'subscriptions',
      'broker',
      'clearing house',
      'audit',
    ]);
    for (const { method, path, op } of operations) {
      assert.ok(typeof op.summary === 'string' && op.summary.length > 5, `${method.toUpperCase()} ${path} has a summary`);
      for (const tag of op.tags ?? []) assert.ok(tags.includes(tag), `${path}: tag ${tag} is one of the groups`);
    }
    assert.ok(
      !operations.some((o) => o.path.startsWith('/selfRegistration/')),
      'TRUE’s un-prefixed aliases are documented once, with /api',
    );
  });

  it('documents page and size as optional, and /data with its transports and its HTTP 200 rejections', () => {
    for (const { path, op } of operations) {
      for (const p of (op.parameters ?? []) as Json[]) {
        if (p.name === 'page' || p.name === 'size') assert.notEqual(p.required, true, `${path}: ${p.name as string} is optional`);
      }
    }
    const data = doc.paths['/data'].post as Json;
    assert.match(JSON.stringify(data), /multipart\/form-data/);
    assert.match(JSON.stringify(data), /multipart\/mixed/);
    assert.match(data.responses['200'].description as string, /RejectionMessage.*HTTP 200/);
  });

  it('every admin operation documents its errors as application/problem+json', () => {
    for (const { method, path, op } of operations) {
      if (path === '/data' || path === '/' || path.startsWith('/health') || path.startsWith('/daps/')) continue;
      const bad = op.responses?.['400'];
      assert.ok(bad?.content?.['application/problem+json'], `${method.toUpperCase()} ${path} documents its 400 as a problem`);
    }
  });

  it('the request example of every JSON body is accepted as it is (the default POST /api/resources body creates one)', async () => {
    let sent = 0;
    for (const { method, path, op } of operations) {
      const content = op.requestBody?.content?.['application/json'];
      if (content === undefined) continue;
      const examples = content.examples as Record<string, { value: unknown }> | undefined;
      if ((op.tags ?? []).includes('TRUE Connector compatibility')) continue;
      assert.ok(examples, `${method.toUpperCase()} ${path} has a request example`);
      const body = Object.values(examples)[0].value;
      const url = path.replace('{id}', EXAMPLE_ID).replace('{name}', 'vibration');
      const res = await t.call(method.toUpperCase(), url, { json: body });
      sent++;
      // An example that names another element (a resource for a representation) names one that is not there: it
      // is refused for that reference only, naming it; the body itself is valid.
      const reference = res.status === 400 && /Id$/.test(String(res.json<Json>().field)) && res.text.includes(EXAMPLE_ID);
      assert.ok(
        reference || [200, 201, 202, 404, 409, 502, 503].includes(res.status),
        `${method.toUpperCase()} ${path} with its example: ${res.status} ${res.text.slice(0, 300)}`,
      );
      if (['/api/resources', '/api/catalogs', '/api/policies/offers'].includes(path)) {
        assert.ok(res.status === 200 || res.status === 201, `${path}: ${res.status} ${res.text}`);
      }
    }
    assert.ok(sent >= 15, `examples sent: ${sent}`);
  });

  it('a client mistake is a problem document naming the field; an unknown id too', async () => {
    const bad = await t.call('POST', '/api/resources', { json: { title: 5, languages: ['english'] } });
    assert.equal(bad.status, 400);
    assert.match(String(bad.headers['content-type']), /^application\/problem\+json/);
    const problem = bad.json<Json>();
    assert.equal(problem.type, 'urn:fep-connector:error:BAD_INPUT');
    assert.equal(problem.title, 'Bad Request');
    assert.equal(problem.status, 400);
    assert.equal(problem.instance, '/api/resources');
    assert.equal(problem.field, 'title');
    const fields = new Set((problem.errors as Json[]).map((e) => e.field as string));
    assert.deepEqual([...fields].sort(), ['languages', 'title']);
    assert.match(problem.detail as string, /title must be a string/);
    const missing = await t.call('GET', `/api/resources/${EXAMPLE_ID}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json<Json>().type, 'urn:fep-connector:error:NOT_FOUND');
    const unauthenticated = await t.call('GET', '/api/resources', { admin: false });
    assert.equal(unauthenticated.status, 401);
    assert.equal(unauthenticated.json<Json>().title, 'Unauthorized');
  });
});
