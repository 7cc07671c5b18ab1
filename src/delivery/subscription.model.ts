/** A catalog element a subscription may watch. */
export interface WatchedTarget {
  kind: 'resource' | 'representation' | 'artifact';
  iri: string;
}

/** Who asks for a provider-side IDS subscription: checked by the IDS pipeline (DAT valid, issuer bound to it). */
export interface IdsSubscriber {
  connector: string;
  subject: string | null;
  securityProfile: string | null;
  requestId: string;
}
