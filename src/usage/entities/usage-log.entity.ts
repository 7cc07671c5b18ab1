import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every usage decision, permitted or denied, with its reasons. A permitted use's record is written in the same
 * transaction as its counter claim: that record is how a USAGE_LOGGING duty is met (the clearing house is fed from it).
 */
@Entity('usage_log')
export class UsageLogEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 8 }) side!: string;
  @Index() @Column({ name: 'agreement_iri', type: 'varchar', length: 512 }) agreementIri!: string;
  @Column({ type: 'varchar', length: 512 }) target!: string;
  @Column({ type: 'varchar', length: 512 }) consumer!: string;
  @Column({ type: 'boolean' }) permitted!: boolean;
  /** A USAGE_LOGGING duty asked for this record. */
  @Column({ name: 'log_duty', type: 'boolean', default: false }) logDuty!: boolean;
  @Column({ type: 'simple-json' }) reasons!: string[];
  @Index() @Column({ type: 'varchar', length: 32 }) at!: string;
}
