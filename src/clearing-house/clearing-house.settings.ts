import { httpUrl } from '../config/setting.parsers.js';
import { defineArea, optional, type SettingsOf } from '../config/setting.js';

export const clearingHouseSettings = defineArea('clearingHouse', {
  url: optional(
    'FEP_CLEARING_HOUSE_URL',
    httpUrl,
    "the Clearing House's base URL, e.g. `https://ch:9999`: agreements, transfers and logged uses go to `/messages/log/{pid}` through a durable outbox",
    '(unset: no clearing house)',
  ),
});
export type ClearingHouseSettings = SettingsOf<typeof clearingHouseSettings>;
