import { ConnectorRestrictedUsagePattern } from './connector-restricted-usage.pattern.js';
import { DurationUsagePattern } from './duration-usage.pattern.js';
import { NTimesUsagePattern } from './n-times-usage.pattern.js';
import { ProhibitAccessPattern } from './prohibit-access.pattern.js';
import { ProvideAccessPattern } from './provide-access.pattern.js';
import { PurposeRestrictedUsagePattern } from './purpose-restricted-usage.pattern.js';
import { RoleRestrictedUsagePattern } from './role-restricted-usage.pattern.js';
import { SecurityProfileRestrictedUsagePattern } from './security-profile-restricted-usage.pattern.js';
import { UsageDuringIntervalPattern } from './usage-during-interval.pattern.js';
import { UsageLoggingPattern } from './usage-logging.pattern.js';
import { UsageNotificationPattern } from './usage-notification.pattern.js';
import { UsageUntilDeletionPattern } from './usage-until-deletion.pattern.js';

/** The pattern classes the usage module provides (the registry finds them by their decorator). */
export const PATTERN_CLASSES = [
  ProvideAccessPattern,
  ProhibitAccessPattern,
  NTimesUsagePattern,
  UsageDuringIntervalPattern,
  DurationUsagePattern,
  UsageUntilDeletionPattern,
  UsageLoggingPattern,
  UsageNotificationPattern,
  ConnectorRestrictedUsagePattern,
  SecurityProfileRestrictedUsagePattern,
  PurposeRestrictedUsagePattern,
  RoleRestrictedUsagePattern,
];
