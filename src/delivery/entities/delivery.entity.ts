import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** `data`: new data of an artifact; `metadata`: its description changed; `notification`: pushed data arrived (consumer). */
export type DeliveryKind = 'data' | 'metadata' | 'notification';
/** `dead`: refused for good by the receiver (kept with its answer as a dead letter). */
export type DeliveryStatus = 'pending' | 'delivered' | 'denied' | 'dropped' | 'dead';

/**
 * One notification to one subscriber: the delivery outbox. Written in the transaction of the change it is about,
 * delivered oldest first and strictly in order per subscription, retried with backoff under its own id (the
 * message @id, the webhook's delivery id: the same on every attempt, so a receiver can drop a repeat).
 */
@Entity('deliveries')
@Index(['subscriptionId', 'status', 'seq'])
@Index('IDX_deliveries_status_created', ['status', 'created'])
export class DeliveryEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) seq!: number;
  @Column({ type: 'varchar', length: 36, unique: true }) id!: string;
  @Column({ name: 'subscription_id', type: 'varchar', length: 36 }) subscriptionId!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: DeliveryKind;
  @Column({ name: 'resource_iri', type: 'varchar', length: 512 }) resourceIri!: string;
  @Column({ name: 'artifact_iri', type: 'varchar', length: 512, nullable: true }) artifactIri!: string | null;
  /** The changed value as it was (a data-app output's new value; a consumer notification); else the artifact's bytes are read when sent. */
  @Column({ type: 'text', nullable: true }) body!: string | null;
  @Column({ type: 'varchar', length: 16 }) status!: DeliveryStatus;
  /** A push's use was granted (and counted): a retry sends it again without deciding (and counting) again. */
  @Column({ type: 'boolean' }) granted!: boolean;
  @Column({ type: 'integer' }) attempts!: number;
  @Column({ name: 'next_attempt', type: 'varchar', length: 32 }) nextAttempt!: string;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  @Column({ type: 'varchar', length: 32 }) created!: string;
  @Column({ name: 'delivered_at', type: 'varchar', length: 32, nullable: true }) deliveredAt!: string | null;
}
