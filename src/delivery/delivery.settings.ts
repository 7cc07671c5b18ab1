import { bool, httpUrl, int, text, urlPrefixes } from '../config/setting.parsers.js';
import { defineArea, optional, setting, type SettingsOf } from '../config/setting.js';

/** Results delivery: subscriptions, the delivery outbox, webhooks and the NGSI-LD context broker. */
export const deliverySettings = defineArea('delivery', {
  suspendAfterSeconds: setting(
    'FEP_DELIVERY_SUSPEND_AFTER_S',
    int(1, 31_536_000),
    86_400,
    'a subscriber that fails every delivery for this long is suspended (visibly; the admin resumes it); until then deliveries are retried with backoff',
  ),
  retryMaxMs: setting(
    'FEP_DELIVERY_RETRY_MAX_MS',
    int(10, 3_600_000),
    60_000,
    'longest delay between two attempts of one delivery (it doubles from FEP_SERVICE_POLL_MS)',
  ),
  degradedAfterSeconds: setting(
    'FEP_DELIVERY_DEGRADED_AFTER_S',
    int(1, 31_536_000),
    600,
    'readiness is `degraded`, naming the sink, while a delivery to the NGSI-LD broker or a webhook has waited longer than this',
  ),
  timeoutMs: setting('FEP_DELIVERY_TIMEOUT_MS', int(100, 600_000), 10_000, 'how long one delivery (webhook POST, NGSI-LD upsert) may take'),
  maxSubscriptions: setting(
    'FEP_DELIVERY_MAX_SUBSCRIPTIONS',
    int(1, 1_000_000),
    1000,
    'IDS subscriptions from other connectors accepted at most, all subscribers together (the admin’s webhooks are counted apart)',
  ),
  maxPerSubscriber: setting(
    'FEP_DELIVERY_MAX_PER_SUBSCRIBER',
    int(1, 1_000_000),
    20,
    'IDS subscriptions one connector (its ids:issuerConnector) may hold here',
  ),
  maxWebhooks: setting('FEP_DELIVERY_MAX_WEBHOOKS', int(1, 1_000_000), 1000, 'webhook subscriptions the admin may create'),
  concurrency: setting(
    'FEP_DELIVERY_CONCURRENCY',
    int(2, 1000),
    16,
    'subscriptions served at once (each strictly in order); those whose deliveries are failing share at most half of them, so a silent subscriber never holds up the others',
  ),
  maxPending: setting(
    'FEP_DELIVERY_MAX_PENDING',
    int(1, 10_000_000),
    1000,
    'deliveries one subscription may have waiting; past it the oldest are dropped (counted per subscription and in metrics)',
  ),
  retentionHours: setting(
    'FEP_DELIVERY_RETENTION_HOURS',
    int(1, 87_600),
    168,
    'delivered, denied and dropped deliveries are kept this long (and at most FEP_DELIVERY_KEEP_DONE per subscription) for the delivery history',
  ),
  keepDone: setting('FEP_DELIVERY_KEEP_DONE', int(1, 10_000_000), 1000, 'finished deliveries kept per subscription at most'),
  allowPrivateAddresses: setting(
    'FEP_DELIVERY_ALLOW_PRIVATE_ADDRESSES',
    bool,
    false,
    'let a partner’s subscription `location` be a loopback, link-local or this node’s own address (nodes that share one host, tests); it must still be the subscriber’s own IDS endpoint',
  ),
  allowedLocations: setting(
    'FEP_DELIVERY_ALLOWED_LOCATIONS',
    urlPrefixes,
    // The demo node is its own partner (the README's walk-through subscribes to itself): its own endpoint, and only there.
    ({ read }) => (read<boolean>('FEP_DEMO') ? [`${read<string>('FEP_PUBLIC_URL')}/data`] : []),
    'URL prefixes a partner’s subscription `location` may point at without the checks (comma-separated, e.g. `http://10.0.0.5:8086/`); every other location must be the subscriber’s own IDS endpoint (it must answer a description request with the subscriber’s id and a valid token) and must not be an address of this node, loopback, link-local or unspecified',
    '(none; with FEP_DEMO: `$FEP_PUBLIC_URL/data`, the demo node being its own partner)',
  ),
  ngsiLdUrl: optional(
    'FEP_NGSI_LD_URL',
    httpUrl,
    'an NGSI-LD context broker (ETSI GS CIM 009), e.g. `http://orion-ld:1026`: data-app outputs are upserted there as entities, through the delivery outbox',
    '(unset: no broker)',
  ),
  ngsiLdTenant: optional('FEP_NGSI_LD_TENANT', text, 'NGSI-LD tenant (`NGSILD-Tenant` header)', '(unset: the default tenant)'),
  ngsiLdToken: optional('FEP_NGSI_LD_TOKEN', text, 'bearer token for the NGSI-LD broker (`Authorization: Bearer`)', '(unset: none)'),
  ngsiLdContext: setting(
    'FEP_NGSI_LD_CONTEXT',
    httpUrl,
    'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld',
    'the JSON-LD @context of the entities (sent as a `Link` header); e.g. `https://smartdatamodels.org/context.jsonld` to expand the Smart Data Models terms there',
  ),
});
export type DeliverySettings = SettingsOf<typeof deliverySettings>;
