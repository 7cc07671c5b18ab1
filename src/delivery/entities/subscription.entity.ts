import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type SubscriptionSide = 'provider' | 'consumer';
/** How a provider-side subscription is served: IDS ResourceUpdateMessages, plain HTTP POSTs, or the NGSI-LD broker. */
export type SubscriptionChannel = 'ids' | 'webhook' | 'ngsi-ld';
export type SubscriptionState = 'active' | 'suspended';

/**
 * A subscription, on either side. Provider side: someone is told of every change of `target` (a resource,
 * representation or artifact of our catalog): another connector (`ids`, from its RequestMessage), a local system
 * (`webhook`, from the admin API), or the NGSI-LD broker (one row, from FEP_NGSI_LD_URL). Consumer side: our
 * subscription at a provider (`remoteUrl`), with an optional local webhook told of each notification received.
 * The payload fields are the Dataspace Connector's (title, description, target, location, subscriber, pushData).
 */
@Entity('subscriptions')
export class SubscriptionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 16 }) side!: SubscriptionSide;
  @Column({ type: 'varchar', length: 16 }) channel!: SubscriptionChannel;
  @Index() @Column({ type: 'varchar', length: 512 }) target!: string;
  /** Where notifications go (the subscriber's IDS endpoint, the webhook URL, the broker). */
  @Column({ type: 'varchar', length: 2048 }) location!: string;
  /** Who subscribed: the consumer's ids:issuerConnector (IDS), as given (webhook), or ourselves (consumer side). */
  @Column({ type: 'varchar', length: 512 }) subscriber!: string;
  @Column({ name: 'push_data', type: 'boolean' }) pushData!: boolean;
  @Column({ type: 'text', nullable: true }) title!: string | null;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  /** Provider side with pushData: the agreement each push is a use under; consumer side: null. */
  @Column({ name: 'agreement_iri', type: 'varchar', length: 512, nullable: true }) agreementIri!: string | null;
  /** The subscriber's DAT subject and security profile when it subscribed (pushes are decided with them). */
  @Column({ name: 'subscriber_subject', type: 'varchar', length: 512, nullable: true }) subscriberSubject!: string | null;
  @Column({ name: 'security_profile', type: 'varchar', length: 128, nullable: true }) securityProfile!: string | null;
  /** The subscribe RequestMessage's @id: each notification names it as its ids:correlationMessage. */
  @Column({ name: 'request_id', type: 'varchar', length: 512, nullable: true }) requestId!: string | null;
  /** Consumer side: the provider's connector id (its replies' ids:issuerConnector). */
  @Column({ type: 'varchar', length: 512, nullable: true }) peer!: string | null;
  /** Consumer side: the provider's IDS endpoint we subscribed at, and our local webhook (if any). */
  @Column({ name: 'remote_url', type: 'varchar', length: 2048, nullable: true }) remoteUrl!: string | null;
  @Column({ type: 'varchar', length: 2048, nullable: true }) webhook!: string | null;
  @Column({ type: 'varchar', length: 16 }) state!: SubscriptionState;
  /** Why it is suspended, or why its last push was denied. */
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  /** Since when deliveries fail without a success in between (suspension counts from it). */
  @Column({ name: 'failing_since', type: 'varchar', length: 32, nullable: true }) failingSince!: string | null;
  @Column({ type: 'integer' }) delivered!: number;
  @Column({ type: 'integer' }) denied!: number;
  /** Deliveries dropped unsent because more than FEP_DELIVERY_MAX_PENDING were waiting (the subscriber did not keep up). */
  @Column({ type: 'integer', default: 0 }) dropped!: number;
  /** Deliveries the receiver refused for good (dead letters, kept with its answer in the delivery's `lastError`). */
  @Column({ name: 'dead_letters', type: 'integer', default: 0 }) deadLetters!: number;
  @Column({ name: 'last_delivered', type: 'varchar', length: 32, nullable: true }) lastDelivered!: string | null;
  @Column({ type: 'varchar', length: 32 }) created!: string;
}
