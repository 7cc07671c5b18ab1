import type { ServerResponse } from 'node:http';
import { HttpReceiver, type Received } from './http-receiver.server.js';

type Json = Record<string, any>;

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const CONTEXT_LINK = /^<([^>]+)>;\s*rel="http:\/\/www\.w3\.org\/ns\/json-ld#context";\s*type="application\/ld\+json"$/;

/**
 * A test NGSI-LD context broker for `POST /ngsi-ld/v1/entityOperations/upsert` (ETSI GS CIM 009 V1.8.1, 5.6.8),
 * checking what the API requires: `application/json` with the @context as a Link header (6.3.5), or
 * `application/ld+json` with `@context` in each entity and no Link; a non-empty array of entities, each with a URI
 * `id` and a `type`; every other member an attribute: a Property with a `value`, a Relationship with a URI
 * `object`, or a GeoProperty; `observedAt` an ISO 8601 date-time. Problems are 400 with a ProblemDetails body.
 * Entities are kept (with `options=update`, attributes merge), answered 201 (ids created) or 204 (all updated).
 * No real broker (Orion-LD, Scorpio, Stellio) can run here.
 */
export class TestNgsiLdBroker extends HttpReceiver {
  readonly entities = new Map<string, Json>();
  readonly problems: string[] = [];
  /** Entity types refused per entity (a batch with others: 207 Multi-Status, BatchOperationResult; alone: 400). */
  readonly refuseTypes = new Set<string>();

  static override async start(): Promise<TestNgsiLdBroker> {
    const broker = new TestNgsiLdBroker();
    await broker.start();
    return broker;
  }

  private check(request: Received): { status: number; title?: string; created?: string[]; multi?: Json } {
    const url = new URL(request.path, 'http://broker');
    if (request.method !== 'POST' || url.pathname !== '/ngsi-ld/v1/entityOperations/upsert') {
      return { status: 404, title: `no ${request.method} ${url.pathname}` };
    }
    const type = String(request.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const link = request.headers['link'];
    if (type === 'application/json') {
      if (typeof link !== 'string' || !CONTEXT_LINK.test(link)) {
        return { status: 400, title: 'application/json needs the @context as a Link header' };
      }
    } else if (type === 'application/ld+json') {
      if (link !== undefined) return { status: 400, title: 'application/ld+json must not have a Link header' };
    } else {
      return { status: 415, title: `unsupported content type ${type}` };
    }
    let entities: unknown;
    try {
      entities = JSON.parse(request.body);
    } catch {
      return { status: 400, title: 'not JSON' };
    }
    if (!Array.isArray(entities) || entities.length === 0) return { status: 400, title: 'an upsert takes a non-empty array of entities' };
    for (const entity of entities as Json[]) {
      if (typeof entity !== 'object' || entity === null) return { status: 400, title: 'an entity must be an object' };
      if (typeof entity['id'] !== 'string' || !URI.test(entity['id'])) {
        return { status: 400, title: `entity id must be a URI: ${String(entity['id'])}` };
      }
      if (typeof entity['type'] !== 'string' || entity['type'] === '') return { status: 400, title: `entity ${entity['id']} has no type` };
      if (type === 'application/ld+json' && entity['@context'] === undefined) {
        return { status: 400, title: `entity ${entity['id']} has no @context` };
      }
      for (const [name, attribute] of Object.entries(entity)) {
        if (['id', 'type', '@context', 'scope'].includes(name)) continue;
        const a = attribute as Json;
        if (typeof a !== 'object' || a === null || Array.isArray(a)) {
          return { status: 400, title: `${entity['id']} ${name}: an attribute must be an object` };
        }
        if (a['type'] === 'Property' || a['type'] === 'GeoProperty') {
          if (!('value' in a) || a['value'] === undefined) {
            return { status: 400, title: `${entity['id']} ${name}: a Property needs a value` };
          }
          // JSON null is not a value (ETSI GS CIM 009 V1.8.1, 4.5.2); Orion-LD answers 400 BadRequestData.
          if (hasNull(a['value'])) return { status: 400, title: `${entity['id']} ${name}: null is not a valid value` };
        } else if (a['type'] === 'Relationship') {
          if (typeof a['object'] !== 'string' || !URI.test(a['object'])) {
            return { status: 400, title: `${entity['id']} ${name}: a Relationship needs a URI object` };
          }
        } else {
          return { status: 400, title: `${entity['id']} ${name}: type must be Property, Relationship or GeoProperty` };
        }
        if (a['observedAt'] !== undefined && (typeof a['observedAt'] !== 'string' || !DATE_TIME.test(a['observedAt']))) {
          return { status: 400, title: `${entity['id']} ${name}: observedAt must be an ISO 8601 date-time` };
        }
      }
    }
    const update = url.searchParams.get('options') === 'update';
    const created: string[] = [];
    const refused = (entities as Json[]).filter((e) => this.refuseTypes.has(String(e['type'])));
    if (refused.length === (entities as Json[]).length) {
      return { status: 400, title: `entities of type ${String(refused[0]['type'])} are refused here` };
    }
    if (refused.length > 0) {
      for (const entity of (entities as Json[]).filter((e) => !refused.includes(e))) this.entities.set(entity['id'], entity);
      return {
        status: 207,
        multi: {
          success: (entities as Json[]).filter((e) => !refused.includes(e)).map((e) => e['id']),
          errors: refused.map((e) => ({
            entityId: e['id'],
            error: { type: 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData', title: 'refused here' },
          })),
        },
      };
    }
    for (const entity of entities as Json[]) {
      const old = this.entities.get(entity['id']);
      if (old === undefined) created.push(entity['id']);
      this.entities.set(entity['id'], update && old !== undefined ? { ...old, ...entity } : entity);
    }
    return { status: created.length > 0 ? 201 : 204, created };
  }

  protected override answer(request: Received, res: ServerResponse): void {
    if (this.failWith !== undefined) return void res.writeHead(this.failWith).end();
    const result = this.check(request);
    if (result.title !== undefined) {
      this.problems.push(result.title);
      res.writeHead(result.status, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ type: 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData', title: result.title }));
    }
    if (result.multi !== undefined) {
      res.writeHead(207, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(result.multi));
    }
    if (result.status === 201) {
      res.writeHead(201, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(result.created));
    }
    res.writeHead(204).end();
  }
}

function hasNull(value: unknown): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.some(hasNull);
  if (typeof value === 'object') return Object.values(value as Json).some(hasNull);
  return false;
}
