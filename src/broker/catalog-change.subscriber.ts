import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntitySubscriberInterface, type InsertEvent, type RemoveEvent, type UpdateEvent } from 'typeorm';
import { ArtifactEntity } from '../resources/entities/artifact.entity.js';
import { CatalogEntity } from '../resources/entities/catalog.entity.js';
import { ContractOfferEntity } from '../resources/entities/contract-offer.entity.js';
import { RepresentationEntity } from '../resources/entities/representation.entity.js';
import { ResourceEntity } from '../resources/entities/resource.entity.js';
import { BrokerService } from './broker.service.js';

const CATALOG = new Set<unknown>([CatalogEntity, ResourceEntity, RepresentationEntity, ArtifactEntity, ContractOfferEntity]);

/**
 * Every write to a catalog table (admin API, TRUE management paths, seeding; inserts, updates and deletes, in
 * or out of transactions) tells the broker service; it coalesces them into one ConnectorUpdateMessage.
 */
@Injectable()
export class CatalogChangeSubscriber implements EntitySubscriberInterface, OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly broker: BrokerService,
  ) {}

  onModuleInit(): void {
    if (this.broker.enabled) this.dataSource.subscribers.push(this);
  }

  afterInsert(event: InsertEvent<unknown>): void {
    this.changed(event.metadata.target);
  }
  afterUpdate(event: UpdateEvent<unknown>): void {
    this.changed(event.metadata.target);
  }
  afterRemove(event: RemoveEvent<unknown>): void {
    this.changed(event.metadata.target);
  }

  private changed(target: unknown): void {
    if (CATALOG.has(target)) this.broker.catalogChanged();
  }
}
