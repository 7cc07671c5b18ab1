import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One value an app published on one of its outputs; the newest are kept (FEP_APPS_OUTPUT_HISTORY per output). */
@Entity('data_app_outputs')
@Index(['app', 'output', 'seq'])
@Index(['app', 'output', 'key', 'seq'])
export class DataAppOutputEntity {
  @PrimaryGeneratedColumn('increment') seq!: number;
  @Column({ type: 'varchar', length: 64 }) app!: string;
  @Column({ type: 'varchar', length: 64 }) output!: string;
  /** The asset or zone of a `state` output. */
  @Column({ type: 'varchar', length: 128, nullable: true }) key!: string | null;
  @Column({ type: 'varchar', length: 32 }) at!: string;
  /** JSON. */
  @Column({ type: 'text' }) value!: string;
}
