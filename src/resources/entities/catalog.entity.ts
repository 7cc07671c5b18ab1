import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An `ids:ResourceCatalog`. Timestamps are ISO-8601 UTC strings: portable across SQLite and PostgreSQL. */
@Entity('catalogs')
export class CatalogEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 512, unique: true }) iri!: string;
  @Column({ type: 'text', nullable: true }) title!: string | null;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'varchar', length: 32 }) created!: string;
  @Column({ type: 'varchar', length: 32 }) modified!: string;
}
