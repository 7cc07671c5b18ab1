import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One IDS exchange as this connector saw it, in or out: the local audit log (TRUE: `/api/audit/`). */
@Entity('audit_log')
export class AuditEventEntity {
  @PrimaryGeneratedColumn('increment') seq!: number;
  @Index() @Column({ type: 'varchar', length: 32 }) at!: string;
  @Column({ type: 'varchar', length: 8 }) direction!: 'inbound' | 'outbound';
  @Index() @Column({ name: 'message_type', type: 'varchar', length: 128 }) messageType!: string;
  @Column({ name: 'message_id', type: 'varchar', length: 512, nullable: true }) messageId!: string | null;
  /** The other side: the requester's connector (inbound) or the URL called (outbound). */
  @Column({ type: 'varchar', length: 1024, nullable: true }) peer!: string | null;
  @Column({ name: 'reply_type', type: 'varchar', length: 128, nullable: true }) replyType!: string | null;
  /** A rejection reason or transport error, when there was one. */
  @Column({ type: 'text', nullable: true }) outcome!: string | null;
  @Column({ type: 'varchar', length: 16 }) transport!: string;
  @Column({ name: 'transfer_contract', type: 'varchar', length: 512, nullable: true }) transferContract!: string | null;
}
