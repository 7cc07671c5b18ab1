import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../../database/column.transformers.js';

/** One window of raw samples: its indicators as a row, its samples as a frame in a segment file (while kept). */
@Entity('edge_windows')
@Index(['app', 'asset', 'startMs'])
export class EdgeWindowEntity {
  @PrimaryGeneratedColumn('increment') id!: number;
  @Column({ type: 'varchar', length: 64 }) app!: string;
  @Column({ type: 'varchar', length: 128 }) asset!: string;
  @Column({ type: 'varchar', length: 128 }) channel!: string;
  @Index() @Column({ name: 'start_ms', type: 'bigint', transformer: bigintNumber }) startMs!: number;
  @Column({ type: 'varchar', length: 32 }) at!: string;
  @Column({ type: 'integer' }) samples!: number;
  @Column({ name: 'sample_rate', type: 'double precision' }) sampleRate!: number;
  /** Samples missing inside the window (a gap in the source's sequence). */
  @Column({ type: 'integer' }) missing!: number;
  /** JSON. */
  @Column({ type: 'text' }) indicators!: string;
  /** Null once retention removed the raw samples. */
  @Index() @Column({ name: 'segment_id', type: 'integer', nullable: true }) segmentId!: number | null;
  @Column({ name: 'frame_offset', type: 'bigint', nullable: true, transformer: bigintNumber }) frameOffset!: number | null;
  @Column({ name: 'frame_length', type: 'integer', nullable: true }) frameLength!: number | null;
}
