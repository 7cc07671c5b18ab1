import { Injectable } from '@nestjs/common';
import { ConnectorError } from '../../common/connector.error.js';
import { CatalogPublisher } from '../../resources/catalog.publisher.js';
import { CatalogRepository } from '../../resources/catalog.repository.js';
import { CatalogService } from '../../resources/catalog.service.js';
import { prepareOffer } from '../../resources/contract-offer.service.js';
import { parseRepresentation, parseResource } from '../../resources/infomodel.parser.js';
import { UsageEnforcer } from '../../usage/usage.enforcer.js';

type Mode = 'create' | 'replace';

/**
 * TRUE Connector's self-description management API semantics (TRUE doc/SELF_DESCRIPTION.md): elements are
 * addressed by IRI, bodies are infomodel JSON-LD with nested children, and a write replaces the element with
 * everything below it, in one transaction, through the catalog publisher. TRUE's API is lenient where the admin
 * API is strict: an offer rule without target covers the resource's artifacts when it has some, and is kept as
 * it is otherwise.
 */
@Injectable()
export class TrueManagementService {
  constructor(
    private readonly publisher: CatalogPublisher,
    private readonly repository: CatalogRepository,
    private readonly catalog: CatalogService,
    private readonly enforcer: UsageEnforcer,
  ) {}

  async writeResource(catalogIri: string | undefined, body: unknown, mode: Mode): Promise<void> {
    const draft = parseResource(body);
    const artifacts = draft.representations.flatMap((r) => r.artifacts.map((a) => a.iri));
    const offers = draft.offers.map((o, i) =>
      prepareOffer(o, `body["ids:contractOffer"][${i}]`, this.enforcer, { artifacts, whenNoArtifact: 'keep' }),
    );
    await this.publisher.publish({ ...draft, offers }, { mode, ...(catalogIri === undefined ? {} : { catalogIri }) });
  }

  async writeRepresentation(resourceIri: string, body: unknown, mode: Mode): Promise<void> {
    await this.publisher.publishRepresentation(resourceIri, parseRepresentation(body), mode);
  }

  async writeOffer(resourceIri: string, body: unknown, mode: Mode): Promise<void> {
    const target = await this.repository.resources.findByIri(resourceIri);
    const artifacts = target === null ? [] : await this.repository.artifactIrisOf(target.id);
    await this.publisher.publishOffer(resourceIri, prepareOffer(body, 'body', this.enforcer, { artifacts, whenNoArtifact: 'keep' }), mode);
  }

  async remove(kind: 'resource' | 'representation' | 'offer', iri: string): Promise<void> {
    const store = { resource: this.repository.resources, representation: this.repository.representations, offer: this.repository.offers }[
      kind
    ];
    const found = await store.findByIri(iri);
    if (found === null) throw new ConnectorError('NOT_FOUND', `no ${kind} ${iri}`);
    if (kind === 'offer') return store.delete(found.id);
    return this.catalog.removeWithFiles(kind, found.id, () => store.delete(found.id));
  }
}
