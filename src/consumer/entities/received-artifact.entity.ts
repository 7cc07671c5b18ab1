import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/column.transformers.js';

/** Bytes received from a provider under an agreement, kept on disk with the agreement they came under. */
@Entity('received_artifacts')
export class ReceivedArtifactEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Index() @Column({ name: 'artifact_iri', type: 'varchar', length: 512 }) artifactIri!: string;
  /** The `ids:transferContract` it was requested under. */
  @Index() @Column({ name: 'agreement_iri', type: 'varchar', length: 512, nullable: true }) agreementIri!: string | null;
  @Column({ name: 'provider_url', type: 'varchar', length: 1024 }) providerUrl!: string;
  @Column({ type: 'text' }) path!: string;
  @Column({ name: 'byte_size', type: 'bigint', transformer: bigintNumber }) byteSize!: number;
  @Column({ type: 'varchar', length: 64 }) checksum!: string;
  @Column({ name: 'media_type', type: 'varchar', length: 255, nullable: true }) mediaType!: string | null;
  @Column({ type: 'varchar', length: 32 }) received!: string;
  /** USAGE_UNTIL_DELETION: when the bytes are deleted (file and record). */
  @Column({ name: 'delete_at', type: 'varchar', length: 32, nullable: true }) deleteAt!: string | null;
}
