import { Inject, Injectable, Logger } from '@nestjs/common';
import { connectorSettings, type ConnectorSettings } from '../ids/connector.settings.js';
import { CatalogPublisher, type PublishedResource } from '../resources/catalog.publisher.js';
import { CatalogRepository } from '../resources/catalog.repository.js';
import { prepareOffer } from '../resources/contract-offer.service.js';
import { PatternRegistry } from '../usage/patterns/pattern.registry.js';
import { buildOffer } from '../usage/policy/offer.builder.js';
import { loadTemplate } from '../usage/policy-templates.loader.js';
import { UsageEnforcer } from '../usage/usage.enforcer.js';
import type { DataApp, DataAppOutput } from './data-app.contract.js';
import { DataAppRegistry } from './data-app.registry.js';
import { dataAppsSettings, type DataAppsSettings } from './data-apps.settings.js';

/** The `data-app` artifact source's location of an output. */
export function outputLocation(app: string, output: string): string {
  return `${app}/${output}`;
}

/** Stable IRIs of an output's resource, representation and artifact, below the connector's IRI. */
export function outputIris(connectorId: string, app: string, output: string): { resource: string; representation: string; artifact: string } {
  const base = /[/#]$/.test(connectorId) ? connectorId : `${connectorId}/`;
  const resource = `${base}apps/${app}/${output}`;
  return { resource, representation: `${resource}/representation`, artifact: `${resource}/artifact` };
}

/**
 * Every output of an app is a catalog resource + representation + artifact (source kind `data-app`), with a default
 * offer from a `policies/` template (FEP_APPS_DEFAULT_PATTERN) the first time; the admin may change the offers, which
 * an update of the description keeps. Published when the app starts (a node offers the outputs of the apps it runs,
 * not of every app it could run), and written only when the description changed, so a restart does not touch the
 * catalog (nor re-register at the broker). They stay offered when the app stops: their data stays servable.
 */
@Injectable()
export class OutputPublisher {
  private readonly logger = new Logger('DataApps');

  constructor(
    private readonly registry: DataAppRegistry,
    private readonly publisher: CatalogPublisher,
    private readonly catalog: CatalogRepository,
    private readonly patterns: PatternRegistry,
    private readonly enforcer: UsageEnforcer,
    @Inject(connectorSettings.token) private readonly connector: ConnectorSettings,
    @Inject(dataAppsSettings.token) private readonly settings: DataAppsSettings,
  ) {}

  async publishApp(name: string): Promise<void> {
    const app = this.registry.get(name);
    if (app === undefined) return;
    let written = 0;
    for (const output of app.outputs) if (await this.publishOutput(name, app, output)) written++;
    if (written > 0) this.logger.log(`data app ${name}: ${written} output(s) published in the catalog`);
  }

  iris(app: string, output: string): ReturnType<typeof outputIris> {
    return outputIris(this.connector.id, app, output);
  }

  private async publishOutput(name: string, app: DataApp, output: DataAppOutput): Promise<boolean> {
    const iris = this.iris(name, output.name);
    const draft: PublishedResource = {
      iri: iris.resource,
      type: 'ids:DataResource',
      title: `${app.title}: ${output.title}`,
      description: output.description,
      keywords: [...output.keywords, 'data app', name],
      languages: ['EN'],
      publisher: this.connector.curator,
      sovereign: this.connector.curator,
      license: null,
      version: null,
      representations: [
        {
          iri: iris.representation,
          type: 'ids:DataRepresentation',
          mediaType: 'application/json',
          language: 'EN',
          artifacts: [{ iri: iris.artifact, fileName: `${name}-${output.name}.json`, source: { kind: 'data-app', location: outputLocation(name, output.name) } }],
        },
      ],
      offers: [],
    };
    if (await this.unchanged(draft)) return false;
    draft.offers = [this.defaultOffer(iris.artifact)];
    await this.publisher.publish(draft, { mode: 'upsert', keepOffers: true });
    return true;
  }

  private async unchanged(draft: PublishedResource): Promise<boolean> {
    const existing = await this.catalog.resources.findByIri(draft.iri);
    if (existing === null) return false;
    const artifact = await this.catalog.artifacts.findByIri(draft.representations[0].artifacts[0].iri);
    return (
      existing.title === draft.title &&
      existing.description === draft.description &&
      JSON.stringify(existing.keywords) === JSON.stringify(draft.keywords) &&
      existing.publisher === draft.publisher &&
      artifact?.sourceType === 'data-app' &&
      artifact.sourceLocation === draft.representations[0].artifacts[0].source!.location
    );
  }

  private defaultOffer(artifact: string): ReturnType<typeof prepareOffer> {
    const pattern = this.patterns.named(this.settings.defaultPattern);
    if (pattern === undefined) throw new Error(`FEP_APPS_DEFAULT_PATTERN names no usage pattern: ${this.settings.defaultPattern}`);
    const { offer, problems } = buildOffer(artifact, [{ pattern, template: loadTemplate(pattern), parameters: {} }]);
    if (offer === undefined) throw new Error(`default offer of data-app outputs: ${problems.join('; ')}`);
    return prepareOffer(offer, 'FEP_APPS_DEFAULT_PATTERN', this.enforcer, { artifacts: [artifact], whenNoArtifact: 'refuse' });
  }
}
