/**
 * Composition of the configuration: every area that declares settings, in the order the README lists them.
 * An area (a data app too) adds its settings in its own folder and one entry here.
 */
import { auditSettings } from './audit/audit.settings.js';
import { adminSettings } from './auth/auth.settings.js';
import { brokerSettings } from './broker/broker.settings.js';
import { clearingHouseSettings } from './clearing-house/clearing-house.settings.js';
import { serverSettings } from './common/http/server.settings.js';
import { loggingSettings } from './common/logging/logging.settings.js';
import { loadAreas } from './config/config.loader.js';
import type { ConfigOf, SettingDoc } from './config/setting.js';
import { consumerSettings } from './consumer/consumer.settings.js';
import { dapsSettings } from './daps/daps.settings.js';
import { dataAppsSettings } from './data-apps/data-apps.settings.js';
import { deliverySettings } from './delivery/delivery.settings.js';
import { storageSettings } from './database/database.settings.js';
import { identitySettings } from './identity/identity.settings.js';
import { liveSettings } from './operations/live.settings.js';
import { connectorSettings } from './ids/connector.settings.js';
import { idsSettings } from './ids/ids.settings.js';
import { catalogSettings } from './resources/catalog.settings.js';
import { runtimeSettings } from './runtime/runtime.settings.js';
import { trueCompatSettings } from './true-compat/true-compat.settings.js';
import { usageSettings } from './usage/usage.settings.js';

export const AREAS = [
  serverSettings,
  loggingSettings,
  connectorSettings,
  identitySettings,
  storageSettings,
  adminSettings,
  idsSettings,
  dapsSettings,
  catalogSettings,
  usageSettings,
  consumerSettings,
  runtimeSettings,
  brokerSettings,
  clearingHouseSettings,
  auditSettings,
  dataAppsSettings,
  deliverySettings,
  liveSettings,
  trueCompatSettings,
] as const;

export type ConnectorConfig = ConfigOf<typeof AREAS>;

/** Reads and validates every setting; the only reader of the environment's values. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): ConnectorConfig {
  return loadAreas(env, AREAS, { cwd }) as unknown as ConnectorConfig;
}

/** Every setting with its default and meaning: the README's configuration table. */
export const SETTINGS: SettingDoc[] = AREAS.flatMap((area) => Object.values(area.settings).map((s) => ({ env: s.env, ...s.doc })));
