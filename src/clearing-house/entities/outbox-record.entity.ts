import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One message for the Clearing House, written in the same transaction as the business action it records and
 * delivered later by the outbox worker, in `seq` order per process. `id` is the IDS message `@id` it is sent
 * with on every attempt, so a record delivered twice (a crash after delivery, before `delivered` was written)
 * is one message to the clearing house.
 */
@Entity('clearing_house_outbox')
@Index(['status', 'seq'])
export class OutboxRecordEntity {
  @PrimaryGeneratedColumn('increment') seq!: number;
  @Column({ type: 'varchar', length: 36, unique: true }) id!: string;
  /** The clearing-house process: the agreement's UUID. */
  @Column({ type: 'varchar', length: 64 }) pid!: string;
  /** `process`: create the process with its owners; `log`: an ids:LogMessage to /messages/log/{pid}. */
  @Column({ type: 'varchar', length: 8 }) kind!: 'process' | 'log';
  /** The payload: `{"owners": [...]}` or the logged message's header JSON-LD with the SHA-256 of its payload. */
  @Column({ type: 'simple-json' }) body!: Record<string, unknown>;
  /** `held`: written with its action but waiting to be completed (a transfer's hash); it keeps its place. */
  @Column({ type: 'varchar', length: 10, default: 'pending' }) status!: 'pending' | 'held' | 'delivered';
  @Column({ type: 'integer', default: 0 }) attempts!: number;
  @Column({ name: 'next_attempt', type: 'varchar', length: 32 }) nextAttempt!: string;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  /** The clearing house's signed receipt (the reply payload), kept with the record. */
  @Column({ type: 'text', nullable: true }) receipt!: string | null;
  @Column({ type: 'varchar', length: 32 }) created!: string;
  @Column({ type: 'varchar', length: 32, nullable: true }) delivered!: string | null;
}
