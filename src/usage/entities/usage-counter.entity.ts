import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Uses made under an agreement for one target, on one side: claimed with a conditional UPDATE (PostgreSQL) or
 * reserved in memory and then incremented (SQLite, use.counters.ts).
 */
@Entity('usage_counters')
export class UsageCounterEntity {
  @PrimaryColumn({ type: 'varchar', length: 8 }) side!: string;
  @PrimaryColumn({ name: 'agreement_iri', type: 'varchar', length: 512 }) agreementIri!: string;
  @PrimaryColumn({ type: 'varchar', length: 512 }) target!: string;
  @Column({ type: 'integer', default: 0 }) uses!: number;
}
