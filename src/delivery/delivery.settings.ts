import { httpUrl, int, text } from '../config/setting.parsers.js';
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
  timeoutMs: setting('FEP_DELIVERY_TIMEOUT_MS', int(100, 600_000), 10_000, 'how long one delivery (webhook POST, NGSI-LD upsert) may take'),
  maxSubscriptions: setting(
    'FEP_DELIVERY_MAX_SUBSCRIPTIONS',
    int(1, 1_000_000),
    1000,
    'provider-side subscriptions accepted at most (IDS and webhooks)',
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
