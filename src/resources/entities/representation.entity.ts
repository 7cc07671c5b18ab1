import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('representations')
export class RepresentationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 512, unique: true }) iri!: string;
  @Index() @Column({ name: 'resource_id', type: 'varchar', length: 36 }) resourceId!: string;
  @Column({ type: 'varchar', length: 64 }) type!: string;
  @Column({ name: 'media_type', type: 'varchar', length: 255, nullable: true }) mediaType!: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) language!: string | null;
  @Column({ type: 'varchar', length: 32 }) created!: string;
  @Column({ type: 'varchar', length: 32 }) modified!: string;
}
