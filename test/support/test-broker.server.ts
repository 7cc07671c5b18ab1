import type { Party } from './pki.fixture.js';
import type { TestDaps } from './test-daps.server.js';
import { IdsTestService, type IdsReply, type IdsRequestParts } from './ids-test-service.js';
import { select, triplesOf, type Triple } from './mini-sparql.js';

type Json = Record<string, any>;

const id = (v: unknown): string | undefined => (typeof v === 'string' ? v : (v as Json | undefined)?.['@id']);

/**
 * A test Metadata Broker with the open broker's behaviour (metadata-broker-open-core, RegistrationHandler.java) on `/infrastructure`:
 * ConnectorUpdateMessage needs the self-description as payload and answers MessageProcessedNotificationMessage
 * with a `Location`; ConnectorUnavailableMessage marks the connector inactive (hidden from queries);
 * Resource(Update|Unavailable)Message need `ids:affectedResource`; QueryMessage answers SPARQL SELECT over the
 * active connectors' graphs.
 */
export class TestBroker extends IdsTestService {
  readonly connectors = new Map<string, { description: Json; active: boolean; triples: Triple[] }>();
  readonly resourceUpdates: Json[] = [];

  private constructor(daps: TestDaps, party: Party) {
    super(daps, party);
  }

  static async start(daps: TestDaps, party: Party): Promise<TestBroker> {
    const broker = new TestBroker(daps, party);
    await broker.start();
    return broker;
  }

  get endpoint(): string {
    return `${this.url}/infrastructure`;
  }

  /** Messages of one type received, in order. */
  messages(type: string): { header: Json; payload: string | null }[] {
    return this.received.filter((r) => r.header['@type'] === type);
  }

  protected async handle(path: string, { header, payload }: IdsRequestParts): Promise<IdsReply> {
    const bad = (reason: string, text: string): IdsReply => ({
      status: 400,
      type: 'ids:RejectionMessage',
      fields: { 'ids:rejectionReason': { '@id': `idsc:${reason}` } },
      payload: text,
    });
    if (path !== '/infrastructure') return bad('NOT_FOUND', 'use /infrastructure');
    const issuer = id(header['ids:issuerConnector'])!;
    const done = (extra: Json = {}): IdsReply => ({ status: 200, type: 'ids:MessageProcessedNotificationMessage', fields: extra });
    switch (header['@type']) {
      case 'ids:ConnectorUpdateMessage': {
        if (payload === null) return bad('MALFORMED_MESSAGE', 'the self-description is required as payload');
        const description = JSON.parse(payload.toString('utf8')) as Json;
        if (description['@id'] !== issuer) return bad('BAD_PARAMETERS', "the payload's @id must be the issuerConnector");
        this.connectors.set(issuer, { description, active: true, triples: await triplesOf(description) });
        return done({ Location: `${this.url}/connectors/${encodeURIComponent(issuer)}` });
      }
      case 'ids:ConnectorUnavailableMessage': {
        const entry = this.connectors.get(issuer);
        if (entry) entry.active = false;
        return done();
      }
      case 'ids:ResourceUpdateMessage':
      case 'ids:ResourceUnavailableMessage':
        if (!id(header['ids:affectedResource'])) return bad('BAD_PARAMETERS', 'ids:affectedResource is required');
        this.resourceUpdates.push(header);
        return done();
      case 'ids:QueryMessage': {
        try {
          const triples = [...this.connectors.values()].filter((c) => c.active).flatMap((c) => c.triples);
          return {
            status: 200,
            type: 'ids:ResultMessage',
            payload: select(payload?.toString('utf8') ?? '', triples),
            payloadType: 'text/tab-separated-values',
          };
        } catch (error) {
          return bad('BAD_PARAMETERS', String(error));
        }
      }
      default:
        return {
          status: 400,
          type: 'ids:RejectionMessage',
          fields: { 'ids:rejectionReason': { '@id': 'idsc:MESSAGE_TYPE_NOT_SUPPORTED' } },
        };
    }
  }
}
