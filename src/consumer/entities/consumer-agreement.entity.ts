import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JsonLd } from '../../ids/infomodel/jsonld.writer.js';

/** An agreement this connector obtained as consumer from a remote provider. */
@Entity('consumer_agreements')
export class ConsumerAgreementEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 512, unique: true }) iri!: string;
  /** The provider's IDS endpoint (`…/data`) it was negotiated with. */
  @Column({ name: 'provider_url', type: 'varchar', length: 1024 }) providerUrl!: string;
  @Column({ type: 'varchar', length: 512, nullable: true }) provider!: string | null;
  @Column({ type: 'simple-json' }) targets!: string[];
  @Column({ type: 'simple-json' }) document!: JsonLd;
  @Column({ type: 'varchar', length: 32 }) created!: string;
}
