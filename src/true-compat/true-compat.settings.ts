import { oneOf, text } from '../config/setting.parsers.js';
import { defineArea, setting, type SettingsOf } from '../config/setting.js';

/**
 * TRUE Connector's own interfaces: the gateway its external data apps call (`/proxy`, `/incoming-data-app/*`, with
 * TRUE's `idsUser`), and its Platoon usage-control API. The variable names are TRUE users' (FEP_DATA_APP_*).
 */
export const trueCompatSettings = defineArea('trueCompat', {
  gatewayUser: setting(
    'FEP_DATA_APP_USER',
    text,
    ({ read }) => read<string>('FEP_ADMIN_USER'),
    "HTTP Basic user of TRUE's data-app gateway (`/proxy`, `/incoming-data-app/*`), as TRUE's `idsUser`",
    '`$FEP_ADMIN_USER`',
  ),
  gatewayPassword: setting<string | undefined>(
    'FEP_DATA_APP_PASSWORD',
    text,
    ({ read }) => read<string | undefined>('FEP_ADMIN_PASSWORD'),
    'its password',
    '`$FEP_ADMIN_PASSWORD`',
  ),
  platoonApi: setting(
    'FEP_PLATOON_UC_API',
    oneOf('admin', 'loopback'),
    'admin',
    "TRUE's usage-control API (`/platoontec/PlatoonDataUsage/1.0/*`): `admin` needs the admin user; `loopback` also admits unauthenticated calls from 127.0.0.1/::1, as TRUE's internal app container",
  ),
});
export type TrueCompatSettings = SettingsOf<typeof trueCompatSettings>;
