import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { staticResource } from '../common/project-root.js';
import { catalogSettings, type CatalogSettings } from './catalog.settings.js';
import { ArtifactService } from './artifact.service.js';
import { CatalogService } from './catalog.service.js';
import { ContractOfferService } from './contract-offer.service.js';

const DEMO = [
  {
    title: 'Building occupancy (demo)',
    description: 'People count changes of an office zone, computed on the edge node from an IP camera; no frame leaves the node.',
    keywords: ['occupancy', 'HVAC', 'PLATOON'],
    mediaType: 'application/json',
    file: 'occupancy-sample.json',
  },
  {
    title: 'Hydraulic pump vibration (demo)',
    description: 'One second of 1 kHz vibration from a hydraulic pump PLC (simulated).',
    keywords: ['vibration', 'predictive maintenance', 'PLATOON'],
    mediaType: 'text/csv',
    file: 'pump-vibration-1s.csv',
  },
];

/** Makes sure a catalog exists, and with FEP_DEMO seeds the demo offers into an empty one. */
@Injectable()
export class CatalogSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Catalog');

  constructor(
    private readonly catalog: CatalogService,
    private readonly artifacts: ArtifactService,
    private readonly offers: ContractOfferService,
    @Inject(catalogSettings.token) private readonly settings: CatalogSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const catalog = await this.catalog.defaultCatalog();
    if (!this.settings.demo || (await this.catalog.listResources(undefined, 0, 1)).total > 0) return;
    for (const demo of DEMO) {
      const resource = await this.catalog.createResource({
        catalogId: catalog.id,
        title: demo.title,
        description: demo.description,
        keywords: demo.keywords,
        languages: ['EN'],
      });
      const representation = await this.catalog.createRepresentation({
        resourceId: resource.id,
        mediaType: demo.mediaType,
        language: 'EN',
      });
      // Uploaded (copied into the data dir), so the demo needs no FEP_FILE_SOURCE_DIRS.
      const created = await this.artifacts.create({ representationId: representation.id, fileName: demo.file });
      const artifact = await this.artifacts.upload(created.id, createReadStream(staticResource('demo', demo.file)));
      await this.offers.create({
        resourceId: resource.id,
        offer: {
          'ids:permission': [
            {
              '@type': 'ids:Permission',
              'ids:title': [{ '@value': 'provide access', '@type': 'http://www.w3.org/2001/XMLSchema#string' }],
              'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }],
              'ids:target': { '@id': artifact.iri },
            },
          ],
        },
      });
    }
    this.logger.log(`FEP_DEMO: seeded ${DEMO.length} demo resources`);
  }
}
