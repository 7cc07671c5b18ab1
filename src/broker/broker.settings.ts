import { httpUrl } from '../config/setting.parsers.js';
import { defineArea, optional, type SettingsOf } from '../config/setting.js';

export const brokerSettings = defineArea('broker', {
  url: optional(
    'FEP_BROKER_URL',
    httpUrl,
    "the Metadata Broker's IDS endpoint, e.g. `https://broker:8080/infrastructure`: the connector registers on start, updates after catalog changes, unregisters on shutdown",
    '(unset: no broker)',
  ),
});
export type BrokerSettings = SettingsOf<typeof brokerSettings>;
