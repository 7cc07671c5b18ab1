import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../../database/column.transformers.js';

/**
 * A segment file of the edge store. `bytes` is what committed rows cover: recovery cuts the file back to it, so a
 * batch written but not committed (a kill -9 in between) disappears whole.
 */
@Entity('edge_segments')
export class EdgeSegmentEntity {
  @PrimaryGeneratedColumn('increment') id!: number;
  @Column({ type: 'varchar', length: 64 }) app!: string;
  @Column({ type: 'varchar', length: 255 }) file!: string;
  @Column({ type: 'bigint', transformer: bigintNumber }) bytes!: number;
  @Column({ name: 'first_ms', type: 'bigint', nullable: true, transformer: bigintNumber }) firstMs!: number | null;
  @Column({ name: 'last_ms', type: 'bigint', nullable: true, transformer: bigintNumber }) lastMs!: number | null;
  @Column({ type: 'varchar', length: 32 }) created!: string;
}
