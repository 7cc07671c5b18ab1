import type { DeliveryEntity } from './entities/delivery.entity.js';
import type { SubscriptionEntity } from './entities/subscription.entity.js';

/**
 * What one attempt came to: delivered; denied by the usage policy (not sent, not retried); dropped (nothing left to
 * deliver: the artifact is gone); refused: the subscriber's location answered, but not as what it was subscribed as
 * (a web page where an IDS endpoint was named): not retried, the subscription is suspended with the reason; dead:
 * the receiver refused this one delivery for good (an NGSI-LD broker's 400 for an entity), kept with its answer as a
 * dead letter, and the next one goes. A failure to reach the subscriber is a thrown error: retried with backoff.
 */
export type DeliveryOutcome =
  | { outcome: 'delivered' }
  | { outcome: 'denied'; reason: string }
  | { outcome: 'dropped'; reason: string }
  | { outcome: 'refused'; reason: string }
  /** The receiver refused this delivery for good (its content, not its timing): kept as a dead letter, the next goes. */
  | { outcome: 'dead'; reason: string };

/** One way of delivering (IDS, webhook, NGSI-LD). */
export interface DeliveryChannel {
  deliver(subscription: SubscriptionEntity, delivery: DeliveryEntity, grant: () => Promise<void>): Promise<DeliveryOutcome>;
}

/** What a webhook or a consumer's local backend receives (README "Webhooks"). */
export interface WebhookBody {
  event: 'UPDATED';
  kind: DeliveryEntity['kind'];
  delivery: string;
  subscription: string;
  target: string;
  resource: string;
  artifact: string | null;
  at: string;
  data?: unknown;
  dataBase64?: string;
  mediaType?: string;
}
