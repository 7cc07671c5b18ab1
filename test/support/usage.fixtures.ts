import assert from 'node:assert/strict';
import type { TestApp } from './test-app.js';

type Json = Record<string, any>;

/** Offers `bytes` under an offer built by the admin API from usage patterns (`POST /api/policies/offers`). */
export async function offerWithPolicy(
  t: TestApp,
  bytes: Buffer,
  patterns: { pattern: string; parameters?: Json }[],
): Promise<{ resource: Json; artifact: Json; offer: Json }> {
  const resource = (await t.call('POST', '/api/resources', { json: { title: 'Pump health' } })).json<Json>();
  const representation = (
    await t.call('POST', '/api/representations', { json: { resourceId: resource.id, mediaType: 'application/json' } })
  ).json<Json>();
  const artifact = (
    await t.call('POST', '/api/artifacts', { json: { representationId: representation.id, fileName: 'events.json' } })
  ).json<Json>();
  const uploaded = await t.call('PUT', `/api/artifacts/${artifact.id}/data`, {
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(uploaded.status, 200, uploaded.text);
  const built = await t.call('POST', '/api/policies/offers', { json: { target: artifact.iri, patterns } });
  assert.equal(built.status, 200, built.text);
  const offer = await t.call('POST', '/api/contract-offers', { json: { resourceId: resource.id, offer: built.json() } });
  assert.equal(offer.status, 201, offer.text);
  return { resource, artifact: uploaded.json(), offer: offer.json() };
}

/** Consumer negotiates the provider's stored offer (as found in its description) and gets the agreement. */
export async function negotiate(consumer: TestApp, provider: TestApp, offer: Json): Promise<Json> {
  const negotiated = await consumer.call('POST', '/api/consumer/negotiate', {
    json: { url: `${provider.baseUrl}/data`, offer: offer.document },
  });
  assert.equal(negotiated.status, 200, negotiated.text);
  return negotiated.json<Json>();
}

export function fetchArtifact(consumer: TestApp, provider: TestApp, artifact: string, agreement: string): ReturnType<TestApp['call']> {
  return consumer.call('POST', '/api/consumer/fetch', { json: { url: `${provider.baseUrl}/data`, artifact, agreement } });
}
