import { Catalog1732400000000 } from './1732400000000-catalog.migration.js';
import { Exchange1732500000000 } from './1732500000000-exchange.migration.js';
import { Usage1732600000000 } from './1732600000000-usage.migration.js';
import { Services1732700000000 } from './1732700000000-services.migration.js';
import { Replay1732800000000 } from './1732800000000-replay.migration.js';
import { DataApps1732900000000 } from './1732900000000-data-apps.migration.js';
import { Delivery1733000000000 } from './1733000000000-delivery.migration.js';
import { DeliveryBounds1733100000000 } from './1733100000000-delivery-bounds.migration.js';

/** Every migration, in order. Listed, not globbed: ESM has no require-based discovery, and the list is the history. */
export const MIGRATIONS = [
  Catalog1732400000000,
  Exchange1732500000000,
  Usage1732600000000,
  Services1732700000000,
  Replay1732800000000,
  DataApps1732900000000,
  Delivery1733000000000,
  DeliveryBounds1733100000000,
];
