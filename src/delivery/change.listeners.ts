import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, In, type EntityManager, type EntitySubscriberInterface, type UpdateEvent } from 'typeorm';
import type { JsonValue } from '../common/json.js';
import { OutputStore, type OutputChange } from '../data-apps/output.store.js';
import { outputIris } from '../data-apps/output.publisher.js';
import { connectorSettings, type ConnectorSettings } from '../ids/connector.settings.js';
import { ArtifactEntity } from '../resources/entities/artifact.entity.js';
import { RepresentationEntity } from '../resources/entities/representation.entity.js';
import { ResourceEntity } from '../resources/entities/resource.entity.js';
import { DeliveryOutbox } from './delivery.outbox.js';
import { SubscriptionEntity } from './entities/subscription.entity.js';
import { NGSI_OUTPUTS } from './ngsi-ld/ngsi-ld.mapper.js';

/** Columns whose change is new data of an artifact (an upload replaces the bytes). */
const DATA_COLUMNS = ['checksum', 'sourceLocation', 'sourceType'];
/** Columns that only keep time. */
const CLOCK_COLUMNS = ['modified'];

/**
 * Where changes come from, each inside the transaction that makes it: a data-app output value (the output store's
 * listener), an artifact's new bytes and a resource's new metadata (a TypeORM subscriber on the catalog tables,
 * whatever path wrote them: admin API, TRUE's management paths, the catalog publisher).
 */
@Injectable()
export class ChangeListeners implements OnModuleInit, EntitySubscriberInterface {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outputs: OutputStore,
    private readonly outbox: DeliveryOutbox,
    @Inject(connectorSettings.token) private readonly connector: ConnectorSettings,
  ) {}

  onModuleInit(): void {
    this.outputs.listen((change, manager) => this.outputChanged(change, manager));
    this.dataSource.subscribers.push(this);
  }

  private async outputChanged(change: OutputChange, manager: EntityManager): Promise<void> {
    const iris = outputIris(this.connector.id, change.app, change.output);
    const body: JsonValue = {
      app: change.app,
      output: change.output,
      seq: change.seq,
      at: change.at,
      key: change.key,
      value: change.value,
    };
    const data = { kind: 'data' as const, resourceIri: iris.resource, artifactIri: iris.artifact, body };
    const targets = [iris.artifact, iris.representation, iris.resource];
    // One query per value (this runs for every value an app emits): the output's subscribers, and the broker's row
    // when the output is one the broker gets.
    const subscriptions = await manager.find(SubscriptionEntity, {
      where: [
        { side: 'provider', channel: In(['ids', 'webhook']), target: In(targets) },
        ...(NGSI_OUTPUTS.includes(`${change.app}/${change.output}`) ? [{ side: 'provider' as const, channel: 'ngsi-ld' as const }] : []),
      ],
      order: { created: 'ASC' },
    });
    await this.outbox.write(manager, subscriptions, data);
  }

  afterUpdate(event: UpdateEvent<unknown>): Promise<void> | void {
    const columns = event.updatedColumns.map((c) => c.propertyName);
    if (event.metadata.target === ArtifactEntity && columns.some((c) => DATA_COLUMNS.includes(c))) {
      return this.artifactChanged(event.manager, event.entity as ArtifactEntity);
    }
    if (event.metadata.target === ResourceEntity && columns.some((c) => !CLOCK_COLUMNS.includes(c))) {
      return this.resourceChanged(event.manager, event.entity as ResourceEntity);
    }
  }

  private async artifactChanged(manager: EntityManager, artifact: ArtifactEntity): Promise<void> {
    if (artifact.sourceType === 'data-app') return; // its values are announced by the output store, one by one
    const representation = await manager.findOneBy(RepresentationEntity, { id: artifact.representationId });
    const resource = representation === null ? null : await manager.findOneBy(ResourceEntity, { id: representation.resourceId });
    if (representation === null || resource === null) return;
    await this.outbox.enqueue(
      manager,
      {
        kind: 'data',
        resourceIri: resource.iri,
        artifactIri: artifact.iri,
        targets: [artifact.iri, representation.iri, resource.iri],
        body: null,
      },
      ['ids', 'webhook'],
    );
  }

  /** A resource's description changed: its subscribers, and those of its representations and artifacts, are told. */
  private async resourceChanged(manager: EntityManager, resource: ResourceEntity): Promise<void> {
    if (resource.iri === undefined) return;
    const representations = await manager.findBy(RepresentationEntity, { resourceId: resource.id });
    const artifacts =
      representations.length === 0 ? [] : await manager.findBy(ArtifactEntity, { representationId: In(representations.map((r) => r.id)) });
    await this.outbox.enqueue(
      manager,
      {
        kind: 'metadata',
        resourceIri: resource.iri,
        artifactIri: null,
        targets: [resource.iri, ...representations.map((r) => r.iri), ...artifacts.map((a) => a.iri)],
        body: null,
      },
      ['ids', 'webhook'],
    );
  }
}
