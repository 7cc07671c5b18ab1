import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A ResourceUpdateMessage received from a provider we subscribed at (consumer side). Its message @id is unique: a
 * provider's retry of a notification we already took is answered again without keeping it twice.
 */
@Entity('received_notifications')
export class ReceivedNotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'message_id', type: 'varchar', length: 512, unique: true }) messageId!: string;
  @Index() @Column({ name: 'subscription_id', type: 'varchar', length: 36 }) subscriptionId!: string;
  @Column({ type: 'varchar', length: 512 }) provider!: string;
  @Column({ name: 'resource_iri', type: 'varchar', length: 512 }) resourceIri!: string;
  @Column({ name: 'artifact_iri', type: 'varchar', length: 512, nullable: true }) artifactIri!: string | null;
  @Column({ name: 'agreement_iri', type: 'varchar', length: 512, nullable: true }) agreementIri!: string | null;
  /** Pushed data, kept with the consumer's other received artifacts (read through /api/consumer/artifacts/{id}/data). */
  @Column({ name: 'received_artifact_id', type: 'varchar', length: 36, nullable: true }) receivedArtifactId!: string | null;
  @Column({ type: 'varchar', length: 32 }) received!: string;
}
