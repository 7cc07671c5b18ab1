import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JsonLd } from '../../ids/infomodel/jsonld.writer.js';

/** Agreements stored through TRUE's Platoon usage-control API (`/platoontec/PlatoonDataUsage/1.0/contractAgreement`). */
@Entity('usage_agreements')
export class UsageAgreementEntity {
  @PrimaryColumn({ type: 'varchar', length: 512 }) iri!: string;
  @Column({ type: 'simple-json' }) document!: JsonLd;
  @Column({ type: 'varchar', length: 32 }) created!: string;
  @Column({ type: 'varchar', length: 32 }) modified!: string;
}
