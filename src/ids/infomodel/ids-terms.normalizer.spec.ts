import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import jsonld from 'jsonld';
import { needsVectors, VECTORS } from '../../../test/support/vectors.js';
import { IDS_TERMS } from './ids-context.generated.js';
import { normalizeIdsTerms } from './ids-terms.normalizer.js';
import type { JsonLd } from './jsonld.writer.js';
import { documentLoader } from './local-context.js';
import { READ_PREFIXES } from './vocabulary.js';

const CONTEXT = 'https://w3id.org/idsa/contexts/context.jsonld';
const isIdsContext = (url: string): boolean => /^https?:\/\/w3id\.org\/idsa\/contexts\/(\d+\.\d+\.\d+\/)?context\.jsonld$/.test(url);
/** What a JSON-LD 1.1 processor makes of it: the reference the shortcut must equal. */
const compacted = async (doc: JsonLd): Promise<JsonLd> =>
  (await jsonld.compact(doc, { ...READ_PREFIXES }, { documentLoader: documentLoader as never })) as JsonLd;

/** An ArtifactRequestMessage as the Dataspace Connector and TRUE's data app write it. */
const request: JsonLd = {
  '@context': CONTEXT,
  '@type': 'ArtifactRequestMessage',
  '@id': 'https://w3id.org/idsa/autogen/artifactRequestMessage/0b1c',
  modelVersion: '4.1.0',
  issued: { '@value': '2026-12-01T10:00:00.000Z', '@type': 'http://www.w3.org/2001/XMLSchema#dateTimeStamp' },
  issuerConnector: { '@id': 'https://consumer.example/connector' },
  senderAgent: 'https://consumer.example/agent',
  recipientConnector: ['https://provider.example/connector'],
  requestedArtifact: { '@id': 'https://provider.example/artifact/1' },
  transferContract: { '@id': 'https://provider.example/agreement/1' },
  securityToken: {
    '@type': 'DynamicAttributeToken',
    '@id': 'https://w3id.org/idsa/autogen/dynamicAttributeToken/9f',
    tokenValue: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
    tokenFormat: { '@id': 'https://w3id.org/idsa/code/JWT' },
  },
};

/** Shapes the shortcut takes, each beside what jsonld makes of it. */
const HANDLED: [string, JsonLd][] = [
  ['an ArtifactRequestMessage as DSC sends it', request],
  [
    'coerced strings, compact IRIs, several types and values, literals, numbers, booleans, nested nodes',
    {
      '@context': 'https://w3id.org/idsa/contexts/4.1.0/context.jsonld',
      '@type': ['ContractRequest', 'https://w3id.org/idsa/core/Contract'],
      '@id': 'idsc:example',
      'ids:issued': { '@value': '2026-12-01', '@type': 'xsd:date' },
      tokenFormat: 'idsc:JWT',
      title: [{ '@value': 'plain' }, 'second'],
      'http://purl.org/dc/terms/title': 'an absolute IRI key',
      version: 3,
      'ids:sovereign': true,
      permission: [
        {
          '@type': 'Permission',
          action: [{ '@id': 'idsc:USE' }, { '@id': 'https://w3id.org/idsa/code/READ' }],
          constraint: [
            {
              '@type': 'Constraint',
              leftOperand: { '@id': 'idsc:COUNT' },
              operator: 'idsc:LTEQ',
              rightOperand: { '@value': '5', '@type': 'xsd:double' },
            },
          ],
        },
      ],
    },
  ],
];

/** Shapes it leaves to jsonld: they need rules beyond term substitution. */
const UNHANDLED: [string, JsonLd][] = [
  ['a language-tagged string', { ...request, title: { '@value': 'Titel', '@language': 'de' } }],
  ['a list', { ...request, recipientConnector: { '@list': ['https://a.example/'] } }],
  ['a nested context', { ...request, securityToken: { '@context': { x: 'https://x.example/' }, '@type': 'DynamicAttributeToken' } }],
  ['a null', { ...request, transferContract: null }],
  ['a key the context does not define', { ...request, someField: 'dropped by expansion' }],
  ['a key that is a property of every object', { ...request, constructor: 'x', toString: { '@id': 'urn:x' } }],
  ['a type that is a property of every object', { ...request, '@type': 'constructor' }],
  ['a relative @id', { ...request, '@id': 'message/1' }],
  ['an empty array', { ...request, recipientConnector: [] }],
  ['a blank node', { ...request, securityToken: { '@id': '_:b0', '@type': 'DynamicAttributeToken' } }],
  ['two keys for one IRI', { ...request, 'ids:modelVersion': '4.2.0' }],
  ['a number where an IRI is due', { ...request, issuerConnector: 5 }],
  ['a @graph', { '@context': CONTEXT, '@graph': [{ '@type': 'ArtifactRequestMessage' }] }],
  ['a prefix of the compacted form the IDS context lacks (jsonld refuses it)', { ...request, 'dct:description': 'x' }],
  ['another context', { ...request, '@context': 'https://example.org/context.jsonld' }],
];

describe('normalizeIdsTerms: the un-prefixed IDS shape without a JSON-LD processor, equal to jsonld’s compaction', () => {
  for (const [what, doc] of HANDLED) {
    it(`takes ${what}`, async () => {
      const fast = normalizeIdsTerms(doc, isIdsContext);
      assert.ok(fast !== undefined, 'handled');
      assert.deepEqual(fast, await compacted(doc));
      assert.deepEqual(Object.keys(fast), Object.keys(await compacted(doc)), 'in the same key order');
    });
  }

  it('equals jsonld on 300 generated documents of IDS terms and value shapes (seeded)', async () => {
    // mulberry32: small, seeded, good enough to spread the picks.
    let seed = 20261201;
    const random = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n) | 0;
    };
    const pick = <T>(xs: readonly T[]): T => xs[random(xs.length)];
    const terms = Object.keys(IDS_TERMS);
    const iris = [
      'https://w3id.org/idsa/code/JWT',
      'idsc:USE',
      'ids:Artifact',
      'https://provider.example/x',
      'urn:uuid:1',
      'https://w3id.org/idsa/core/',
    ];
    const literal = (): JsonLd[string] =>
      pick<JsonLd[string]>([
        'text',
        'https://looks.like/an/iri',
        7,
        2.5,
        false,
        { '@value': '2026-12-01T00:00:00Z', '@type': pick(['xsd:dateTimeStamp', 'http://www.w3.org/2001/XMLSchema#string', 'idsc:X']) },
        { '@value': 'only a value' },
        { '@id': pick(iris) },
      ]);
    const node = (depth: number): JsonLd => {
      const out: JsonLd = { '@type': pick(terms.filter((t) => /^[A-Z]/.test(t))) };
      if (random(2) === 0) out['@id'] = pick(iris);
      for (let i = random(5); i >= 0; i--) {
        const key = pick(terms.filter((t) => /^[a-z]/.test(t)));
        const term = IDS_TERMS[key];
        // Mostly what the term takes (an IRI where it is coerced to @id), sometimes anything.
        const coerced = typeof term === 'object' && term['@type'] === '@id' && random(8) !== 0;
        const item = (): JsonLd[string] =>
          depth < 2 && random(4) === 0 ? node(depth + 1) : coerced ? pick<JsonLd[string]>([pick(iris), { '@id': pick(iris) }]) : literal();
        out[key] = random(3) === 0 ? [item(), item()] : item();
      }
      return out;
    };
    let handled = 0;
    for (let i = 0; i < 300; i++) {
      const doc = { '@context': CONTEXT, ...node(0) };
      const fast = normalizeIdsTerms(doc, isIdsContext);
      const reference = await compacted(doc).catch((error: unknown) => error);
      if (fast === undefined) continue;
      handled++;
      assert.deepEqual(fast, reference, JSON.stringify(doc));
    }
    assert.ok(handled > 100, `handled ${handled} of 300`);
  });

  it('leaves to jsonld what needs more than term substitution', () => {
    for (const [what, doc] of UNHANDLED) assert.equal(normalizeIdsTerms(doc, isIdsContext), undefined, what);
  });

  it(
    'equals jsonld on every document of the information model’s and TRUE’s vectors with the IDS context URL',
    needsVectors('the vectors comparison'),
    async () => {
      const files: string[] = [];
      const walk = (dir: string): void => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (statSync(path).isDirectory()) walk(path);
          else if (/\.json(ld)?$/.test(name)) files.push(path);
        }
      };
      walk(VECTORS);
      let handled = 0;
      let compared = 0;
      for (const file of files) {
        let doc: unknown;
        try {
          doc = JSON.parse(readFileSync(file, 'utf8'));
        } catch {
          continue;
        }
        if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) continue;
        const context = (doc as JsonLd)['@context'];
        if (typeof context !== 'string' || !isIdsContext(context)) continue;
        compared++;
        const fast = normalizeIdsTerms(doc as JsonLd, isIdsContext);
        if (fast === undefined) continue;
        handled++;
        assert.deepEqual(fast, await compacted(doc as JsonLd), file);
      }
      assert.ok(handled > 0, `of ${compared} documents with the IDS context none was handled`);
    },
  );
});
