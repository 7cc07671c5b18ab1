import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/column.transformers.js';

/** An inbound message id, kept until its token expires (shared replay protection). */
@Entity('seen_messages')
export class SeenMessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 512 }) id!: string;
  @Column({ type: 'bigint', transformer: bigintNumber }) expires!: number;
}
