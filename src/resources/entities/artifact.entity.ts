import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/column.transformers.js';

/**
 * Where an artifact's bytes come from: `upload` (stored in the data dir), `file` (a local path), `http` (fetched
 * from a URL when requested), `data-app` (the output of an in-process data app), `none` (described only, e.g.
 * created through TRUE's management API, whose data lives in a data app).
 */
export const ARTIFACT_SOURCES = ['upload', 'file', 'http', 'data-app', 'none'] as const;
export type ArtifactSourceType = (typeof ARTIFACT_SOURCES)[number];

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
  @Column({ name: 'source_type', type: 'varchar', length: 16 }) sourceType!: ArtifactSourceType;
  /** Path (upload, file), URL (http) or app name (data-app). */
  @Column({ name: 'source_location', type: 'text', nullable: true }) sourceLocation!: string | null;
  @Column({ type: 'varchar', length: 32 }) created!: string;
  @Column({ type: 'varchar', length: 32 }) modified!: string;
}
