import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An app's desired state and configuration, as the operator last set them: restored at every boot. */
@Entity('data_apps')
export class DataAppStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) name!: string;
  @Column({ type: 'varchar', length: 16 }) desired!: 'running' | 'stopped';
  /** JSON. */
  @Column({ type: 'text' }) config!: string;
  @Column({ type: 'varchar', length: 32 }) updated!: string;
}
