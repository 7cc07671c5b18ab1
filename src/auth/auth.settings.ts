import { text } from '../config/setting.parsers.js';
import { defineArea, optional, setting, type SettingsOf } from '../config/setting.js';

/** The admin API's one user (HTTP Basic). There is no default password: one is generated when none is set. */
export const adminSettings = defineArea('admin', {
  user: setting('FEP_ADMIN_USER', text, 'admin', 'HTTP Basic user of the admin API'),
  password: optional(
    'FEP_ADMIN_PASSWORD',
    text,
    'HTTP Basic password of the admin API',
    '(unset: generated on first start into `$FEP_DATA_DIR/admin-password`, shown once in the log)',
  ),
});
export type AdminSettings = SettingsOf<typeof adminSettings>;
