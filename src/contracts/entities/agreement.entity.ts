import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonLd } from '../../ids/infomodel/jsonld.writer.js';

/** An `ids:ContractAgreement` this connector made as provider, with the consumer it was made with. */
@Entity('contract_agreements')
export class AgreementEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 512, unique: true }) iri!: string;
  /** The consumer's connector id (`ids:issuerConnector` of the request). */
  @Index() @Column({ type: 'varchar', length: 512 }) consumer!: string;
  /** The consumer's DAT subject when the agreement was made (null when DATs are not checked). */
  @Column({ name: 'consumer_subject', type: 'varchar', length: 512, nullable: true }) consumerSubject!: string | null;
  /** The artifacts (rule targets) the agreement covers. */
  @Column({ type: 'simple-json' }) targets!: string[];
  @Column({ type: 'simple-json' }) document!: JsonLd;
  /** The consumer confirmed it with an ids:ContractAgreementMessage. */
  @Column({ type: 'boolean', default: false }) confirmed!: boolean;
  @Column({ type: 'varchar', length: 32 }) created!: string;
}
