import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import { normalizeContract } from '../ids/infomodel/contract.normalizer.js';
import { checkContractShape } from '../ids/infomodel/contract.shape.js';
import { fillTargets, type TargetOptions } from './offer-targets.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { UsageEnforcer } from '../usage/usage.enforcer.js';
import { CatalogRepository, type Page } from './catalog.repository.js';
import { mustFind, mustReference } from './catalog.service.js';
import type { CreateContractOfferDto, UpdateContractOfferDto } from './dto/contract-offer.dto.js';
import type { ContractOfferEntity } from './entities/contract-offer.entity.js';
import { autogenIri, newIdentity } from './iri.factory.js';

/**
 * Checks an offer's shape and that this connector can enforce it (a provider must not offer what it cannot
 * enforce), and fills in identifiers; a bad offer is the client's mistake in `field`.
 */
export function prepareOffer(
  document: unknown,
  field: string,
  enforcer: UsageEnforcer,
  targets: Omit<TargetOptions, 'field'>,
  iri?: string,
): JsonLd {
  const problems = checkContractShape(document);
  if (problems.length > 0) throw ConnectorError.badInput(field, problems.join('; '));
  const targeted = fillTargets(document as JsonLd, { ...targets, field });
  const unenforceable = enforcer.problems(targeted);
  if (unenforceable.length > 0) {
    throw ConnectorError.badInput(field, `this connector cannot enforce the policy: ${unenforceable.join('; ')}`);
  }
  const normalized = normalizeContract(targeted, 'ids:ContractOffer', (kind) => autogenIri(kind));
  return iri === undefined ? normalized : { ...normalized, '@id': iri };
}

@Injectable()
export class ContractOfferService {
  constructor(
    private readonly repository: CatalogRepository,
    private readonly enforcer: UsageEnforcer,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async create(dto: CreateContractOfferDto): Promise<ContractOfferEntity> {
    await mustReference(this.repository.resources, 'resourceId', dto.resourceId);
    const identity = newIdentity('contractOffer');
    const document = prepareOffer(
      dto.offer,
      'offer',
      this.enforcer,
      { artifacts: await this.artifactsOf(dto.resourceId), whenNoArtifact: 'refuse' },
      identity.iri,
    );
    const now = this.clock.now().toISOString();
    return this.repository.offers.save({ ...identity, resourceId: dto.resourceId, document, created: now, modified: now });
  }

  list(resourceId: string | undefined, page: number, size: number): Promise<Page<ContractOfferEntity>> {
    return this.repository.offers.list(resourceId === undefined ? {} : { resourceId }, page, size);
  }

  get(id: string): Promise<ContractOfferEntity> {
    return mustFind(this.repository.offers, 'contract offer', id);
  }

  async update(id: string, dto: UpdateContractOfferDto): Promise<ContractOfferEntity> {
    const offer = await this.get(id);
    const document =
      dto.offer === undefined
        ? offer.document
        : prepareOffer(
            dto.offer,
            'offer',
            this.enforcer,
            { artifacts: await this.artifactsOf(offer.resourceId), whenNoArtifact: 'refuse' },
            offer.iri,
          );
    return this.repository.offers.save({ ...offer, document, modified: this.clock.now().toISOString() });
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.repository.offers.delete(id);
  }

  private async artifactsOf(resourceId: string): Promise<string[]> {
    return this.repository.artifactIrisOf(resourceId);
  }
}
