import { Inject, Injectable } from '@nestjs/common';
import { ConnectorError } from '../common/connector.error.js';
import { serverSettings, type ServerSettings } from '../common/http/server.settings.js';
import { publicKeyBase64 } from '../identity/connector-identity.js';
import { connectorSettings, type ConnectorSettings } from '../ids/connector.settings.js';
import { CONNECTOR_IDENTITY, type ConnectorIdentity } from '../ids/seams/identity.seam.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { IDS_CONTEXT } from '../ids/infomodel/vocabulary.js';
import { CatalogRepository } from './catalog.repository.js';
import { artifactToJsonLd, catalogToJsonLd, offerToJsonLd, representationToJsonLd, resourceToJsonLd } from './infomodel.mapper.js';
import { selfDescription, type ConnectorFacts } from './self-description.mapper.js';

@Injectable()
export class SelfDescriptionService {
  private readonly facts: ConnectorFacts;

  constructor(
    private readonly repository: CatalogRepository,
    @Inject(connectorSettings.token) connector: ConnectorSettings,
    @Inject(serverSettings.token) server: ServerSettings,
    @Inject(CONNECTOR_IDENTITY) identity: ConnectorIdentity,
  ) {
    this.facts = {
      ...connector,
      accessUrl: `${server.publicUrl}/data`,
      publicKey: publicKeyBase64(identity.certPem),
    };
  }

  get connectorId(): string {
    return this.facts.id;
  }

  async describe(): Promise<JsonLd> {
    return selfDescription(this.facts, await this.repository.loadTrees());
  }

  /**
   * One element of the catalog by its IRI (catalog, resource, representation, artifact or contract offer),
   * as a standalone JSON-LD document with the context.
   */
  async element(iri: string): Promise<JsonLd> {
    const found = await this.findElement(iri);
    if (found === undefined) throw new ConnectorError('NOT_FOUND', `no catalog element with @id ${iri}`);
    return { '@context': { ...IDS_CONTEXT }, ...found };
  }

  private async findElement(iri: string): Promise<JsonLd | undefined> {
    const id = this.facts.id;
    for (const tree of await this.repository.loadTrees()) {
      if (tree.catalog.iri === iri) return catalogToJsonLd(tree, id);
      for (const entry of tree.resources) {
        if (entry.resource.iri === iri) return resourceToJsonLd(entry, id);
        const offer = entry.offers.find((o) => o.iri === iri);
        if (offer) return offerToJsonLd(offer, id);
        for (const { representation, artifacts } of entry.representations) {
          if (representation.iri === iri) return representationToJsonLd(representation, artifacts);
          const artifact = artifacts.find((a) => a.iri === iri);
          if (artifact) return artifactToJsonLd(artifact);
        }
      }
    }
    return undefined;
  }
}
