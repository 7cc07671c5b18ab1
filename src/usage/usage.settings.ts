import { iriList, urlPrefixes } from '../config/setting.parsers.js';
import { defineArea, setting, type SettingsOf } from '../config/setting.js';

/** What this connector declares as consumer (purposes, roles), and where NOTIFY duties may post. */
export const usageSettings = defineArea('usage', {
  purposes: setting(
    'FEP_USAGE_PURPOSES',
    iriList,
    [],
    'purpose IRIs this connector declares as consumer, comma-separated (checked against `ids:PURPOSE` constraints)',
    '(none)',
  ),
  roles: setting(
    'FEP_USAGE_ROLES',
    iriList,
    [],
    "role IRIs of this connector's users, comma-separated (checked against `ids:USER` HAS_MEMBERSHIP constraints)",
    '(none)',
  ),
  notifyAllowed: setting(
    'FEP_USAGE_NOTIFY_ALLOWED',
    urlPrefixes,
    [],
    'comma-separated URL prefixes a USAGE_NOTIFICATION duty may post to (e.g. `https://provider.example/notify`); a policy naming any other endpoint is refused as unenforceable',
    '(none)',
  ),
});
export type UsageSettings = SettingsOf<typeof usageSettings>;
