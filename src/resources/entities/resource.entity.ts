import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An offered `ids:Resource` (or subclass). Plain foreign-key columns, no relation objects: one query per need. */
@Entity('resources')
export class ResourceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 512, unique: true }) iri!: string;
  @Index() @Column({ name: 'catalog_id', type: 'varchar', length: 36 }) catalogId!: string;
  @Column({ type: 'varchar', length: 64 }) type!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'simple-json' }) keywords!: string[];
  /** idsc language codes, e.g. `EN`. */
  @Column({ type: 'simple-json' }) languages!: string[];
  @Column({ type: 'varchar', length: 512, nullable: true }) publisher!: string | null;
  @Column({ type: 'varchar', length: 512, nullable: true }) sovereign!: string | null;
  @Column({ type: 'varchar', length: 512, nullable: true }) license!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) version!: string | null;
  @Column({ type: 'varchar', length: 32 }) created!: string;
  @Column({ type: 'varchar', length: 32 }) modified!: string;
}
