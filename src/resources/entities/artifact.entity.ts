import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/column.transformers.js';

@Entity('artifacts')
export class ArtifactEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 512, unique: true }) iri!: string;
  @Index() @Column({ name: 'representation_id', type: 'varchar', length: 36 }) representationId!: string;
  @Column({ name: 'file_name', type: 'varchar', length: 255, nullable: true }) fileName!: string | null;
  @Column({ name: 'byte_size', type: 'bigint', nullable: true, transformer: bigintNumber }) byteSize!: number | null;
  /** Lower-case hex SHA-256 of the bytes, once known. */
  @Column({ type: 'varchar', length: 64, nullable: true }) checksum!: string | null;
  @Column({ name: 'creation_date', type: 'varchar', length: 32 }) creationDate!: string;
  /**
   * The kind of its source (resources/sources): `upload` (stored in the data dir), `file` (a local path), `http`
   * (fetched when requested), `data-app` (an in-process data app's output), `none` (described only).
   */
  @Column({ name: 'source_type', type: 'varchar', length: 16 }) sourceType!: string;
  /** Path (upload, file), URL (http) or `app/output` (data-app). */
  @Column({ name: 'source_location', type: 'text', nullable: true }) sourceLocation!: string | null;
  @Column({ type: 'varchar', length: 32 }) created!: string;
  @Column({ type: 'varchar', length: 32 }) modified!: string;
}
