import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import { connectorSettings, type ConnectorSettings } from '../ids/connector.settings.js';
import { dateTimeStamp, ref, type JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { IDS_CONTEXT } from '../ids/infomodel/vocabulary.js';
import { CatalogRepository } from '../resources/catalog.repository.js';
import { autogenIri } from '../resources/iri.factory.js';
import { UsageEnforcer } from '../usage/usage.enforcer.js';
import { ClearingHouseOutbox } from '../clearing-house/clearing-house.outbox.js';
import { EvidenceUnit } from '../clearing-house/evidence.unit.js';
import { logRecord, processRecord, type LoggedMessage } from '../clearing-house/clearing-house.records.js';
import { AgreementRepository } from './agreement.repository.js';
import { matchRequest, targetsOf } from './contract.matcher.js';
import { checkContractShape, RULE_KINDS } from '../ids/infomodel/contract.shape.js';
import type { AgreementEntity } from './entities/agreement.entity.js';

export type NegotiationOutcome = { agreed: true; agreement: JsonLd } | { agreed: false; reasons: string[] };

/** Provider-side negotiation: a request that is an offer or a narrowing of one becomes a persisted agreement. */
@Injectable()
export class NegotiationService {
  constructor(
    private readonly catalog: CatalogRepository,
    private readonly agreements: AgreementRepository,
    @Inject(Clock) private readonly clock: Clock,
    private readonly enforcer: UsageEnforcer,
    private readonly outbox: ClearingHouseOutbox,
    private readonly evidence: EvidenceUnit,
    @Inject(connectorSettings.token) private readonly connector: ConnectorSettings,
  ) {}

  /** `consumer` is the requester's ids:issuerConnector, `subject` its DAT subject (both bind the agreement). */
  async negotiate(request: unknown, consumer: string, subject?: string, logged?: LoggedMessage): Promise<NegotiationOutcome> {
    const shape = checkContractShape(request);
    if (shape.length > 0) throw new ConnectorError('BAD_INPUT', `ids:ContractRequest: ${shape.join('; ')}`, 'payload');
    const contract = request as JsonLd;
    const offers = await this.candidateOffers(contract);
    if (offers.length === 0) return { agreed: false, reasons: ['no contract offer of this connector covers the requested rules'] };
    const reasons: string[] = [];
    for (const offer of offers) {
      const problems = matchRequest(offer.document, contract);
      if (problems.length === 0) {
        const unenforceable = this.enforcer.problems(contract);
        if (unenforceable.length > 0) {
          return { agreed: false, reasons: [`this connector cannot enforce the requested policy: ${unenforceable.join('; ')}`] };
        }
        return { agreed: true, agreement: await this.agree(contract, consumer, subject, logged) };
      }
      reasons.push(`offer ${offer.iri}: ${problems.join('; ')}`);
    }
    return { agreed: false, reasons };
  }

  /** The offer named by the request's @id, else the offers of the resources holding the requested targets. */
  private async candidateOffers(request: JsonLd): Promise<{ iri: string; document: JsonLd }[]> {
    if (typeof request['@id'] === 'string') {
      const named = await this.catalog.offers.findByIri(request['@id']);
      if (named !== null) return [named];
    }
    const found = new Map<string, { iri: string; document: JsonLd }>();
    for (const target of targetsOf(request)) {
      const artifact = await this.catalog.artifacts.findByIri(target);
      const representation = artifact === null ? null : await this.catalog.representations.findById(artifact.representationId);
      if (representation === null) continue;
      for (const offer of await this.catalog.offers.findBy({ resourceId: representation.resourceId })) found.set(offer.iri, offer);
    }
    return [...found.values()];
  }

  private async agree(request: JsonLd, consumer: string, subject: string | undefined, logged: LoggedMessage | undefined): Promise<JsonLd> {
    const now = this.clock.now();
    const id = randomUUID();
    const iri = autogenIri('contractAgreement', id);
    const rules = Object.fromEntries(
      RULE_KINDS.map((k) => [`ids:${k.property}`, (request[`ids:${k.property}`] ?? request[k.property] ?? []) as JsonLd[]]),
    );
    const document: JsonLd = {
      '@context': { ...IDS_CONTEXT },
      '@type': 'ids:ContractAgreement',
      '@id': iri,
      'ids:provider': ref(this.connector.id),
      'ids:consumer': ref(consumer),
      'ids:contractStart': dateTimeStamp(now),
      'ids:contractDate': dateTimeStamp(now),
      ...Object.fromEntries(Object.entries(rules).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])),
    };
    const entity: AgreementEntity = {
      id,
      iri,
      consumer,
      consumerSubject: subject ?? null,
      targets: targetsOf(document),
      document,
      confirmed: false,
      created: now.toISOString(),
    };
    // The agreement and its clearing-house records (process with both owners, the logged request) commit together.
    await this.evidence.run(async ({ manager, record }) => {
      await this.agreements.using(manager).save(entity);
      await record([processRecord(iri, [subject, this.outbox.ownSubject]), ...(logged ? [logRecord(iri, logged)] : [])]);
    });
    return document;
  }
}
