import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonLd } from '../../ids/infomodel/jsonld.writer.js';

/** An `ids:ContractOffer`; its rules are kept as the infomodel JSON-LD they were offered in. */
@Entity('contract_offers')
export class ContractOfferEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 512, unique: true }) iri!: string;
  @Index() @Column({ name: 'resource_id', type: 'varchar', length: 36 }) resourceId!: string;
  /** The whole offer as compacted JSON-LD (`ids:permission`, `ids:prohibition`, `ids:obligation`, ...). */
  @Column({ type: 'simple-json' }) document!: JsonLd;
  @Column({ type: 'varchar', length: 32 }) created!: string;
  @Column({ type: 'varchar', length: 32 }) modified!: string;
}
