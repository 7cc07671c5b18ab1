import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A value an app keeps across restarts (a learned baseline, a model it built). */
@Entity('data_app_memory')
export class DataAppMemoryEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) app!: string;
  @PrimaryColumn({ type: 'varchar', length: 128 }) key!: string;
  /** JSON. */
  @Column({ type: 'text' }) value!: string;
  @Column({ type: 'varchar', length: 32 }) updated!: string;
}
