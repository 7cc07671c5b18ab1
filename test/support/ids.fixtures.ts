import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AgreementEntity } from '../../src/contracts/entities/agreement.entity.js';
import type { TestApp } from './test-app.js';

type Json = Record<string, any>;

/** Offers `bytes` through the admin API: resource, representation, artifact (uploaded), provide-access offer. */
export async function offerArtifact(
  t: TestApp,
  bytes: Buffer,
  mediaType = 'application/json',
  title = 'Occupancy',
): Promise<{ resource: Json; artifact: Json; offer: Json }> {
  const resource = (await t.call('POST', '/api/resources', { json: { title } })).json<Json>();
  const representation = (await t.call('POST', '/api/representations', { json: { resourceId: resource.id, mediaType } })).json<Json>();
  const artifact = (
    await t.call('POST', '/api/artifacts', { json: { representationId: representation.id, fileName: 'data.bin' } })
  ).json<Json>();
  const uploaded = await t.call('PUT', `/api/artifacts/${artifact.id}/data`, {
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(uploaded.status, 200, uploaded.text);
  const offer = await t.call('POST', '/api/contract-offers', {
    json: {
      resourceId: resource.id,
      offer: { 'ids:permission': [{ 'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }], 'ids:target': { '@id': artifact.iri } }] },
    },
  });
  assert.equal(offer.status, 201, offer.text);
  return { resource, artifact: uploaded.json(), offer: offer.json() };
}

/** A TRUE-style request header (prefixed keys, inline context) with the placeholder token. */
export function idsHeader(type: string, fields: Json = {}): Json {
  return {
    '@context': { ids: 'https://w3id.org/idsa/core/', idsc: 'https://w3id.org/idsa/code/' },
    '@type': type,
    '@id': `https://w3id.org/idsa/autogen/message/${randomUUID()}`,
    'ids:modelVersion': '4.2.7',
    'ids:issued': { '@value': new Date().toISOString(), '@type': 'http://www.w3.org/2001/XMLSchema#dateTimeStamp' },
    'ids:issuerConnector': { '@id': 'http://w3id.org/engrd/connector/consumer' },
    'ids:senderAgent': { '@id': 'http://w3id.org/engrd/connector/consumer' },
    'ids:securityToken': {
      '@type': 'ids:DynamicAttributeToken',
      'ids:tokenValue': 'DummyTokenValue',
      'ids:tokenFormat': { '@id': 'https://w3id.org/idsa/code/JWT' },
    },
    ...fields,
  };
}

/** An ArtifactRequestMessage header from `issuer` (its connector id) for `artifact` under `agreement`, with a real DAT. */
export function artifactRequestHeader(issuer: string, artifact: string, agreement: string, token: string): Json {
  return idsHeader('ids:ArtifactRequestMessage', {
    '@id': `https://w3id.org/idsa/autogen/artifactRequestMessage/${randomUUID()}`,
    'ids:issuerConnector': { '@id': issuer },
    'ids:senderAgent': { '@id': issuer },
    'ids:requestedArtifact': { '@id': artifact },
    'ids:transferContract': { '@id': agreement },
    'ids:securityToken': {
      '@type': 'ids:DynamicAttributeToken',
      'ids:tokenValue': token,
      'ids:tokenFormat': { '@id': 'https://w3id.org/idsa/code/JWT' },
    },
  });
}

/** A form-data body by hand (not through the code under test). */
export function formBody(header: Json | string, payload?: string): { body: string; headers: Record<string, string> } {
  const b = `b${randomUUID()}`;
  const head = typeof header === 'string' ? header : JSON.stringify(header);
  let body = `--${b}\r\nContent-Disposition: form-data; name="header"\r\nContent-Type: application/ld+json\r\n\r\n${head}\r\n`;
  if (payload !== undefined) {
    body += `--${b}\r\nContent-Disposition: form-data; name="payload"\r\nContent-Type: application/json\r\n\r\n${payload}\r\n`;
  }
  body += `--${b}--\r\n`;
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

/** The header and payload of a multipart reply, parsed by hand (TRUE's way: split on the first boundary line). */
export function parseReply(text: string): { header: Json; payload: string | undefined; parts: string[] } {
  const boundary = text.split(/\r?\n/)[0];
  const parts = text.split(boundary).slice(1, -1);
  const part = (name: string): string | undefined => {
    const found = parts.find((p) => p.includes(`name="${name}"`));
    return found
      ?.split(/\r?\n\r?\n/)
      .slice(1)
      .join('\r\n\r\n')
      .replace(/\r?\n$/, '');
  };
  return { header: JSON.parse(part('header')!), payload: part('payload'), parts };
}

/**
 * A provide-access agreement written straight into a provider's database, for TRUE peers whose data app names
 * an agreement it never negotiated (TRUE's examples and CI do this).
 */
export function fixtureAgreement(iri: string, consumer: string, targets: string[]): AgreementEntity {
  const permissions = targets.map((target) => ({
    '@type': 'ids:Permission',
    'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }],
    'ids:target': { '@id': target },
  }));
  return {
    id: randomUUID(),
    iri,
    consumer,
    consumerSubject: null,
    targets,
    document: { '@type': 'ids:ContractAgreement', '@id': iri, 'ids:permission': permissions },
    confirmed: true,
    created: new Date().toISOString(),
  };
}
