import { int } from '../config/setting.parsers.js';
import { defineArea, setting, type SettingsOf } from '../config/setting.js';

/** How much of the local audit log is kept (the clearing house, when configured, is the long-term record). */
export const auditSettings = defineArea('audit', {
  retentionDays: setting('FEP_AUDIT_RETENTION_DAYS', int(1, 36_500), 30, 'audit-log records older than this are deleted'),
  maxRecords: setting(
    'FEP_AUDIT_MAX_RECORDS',
    int(100, 1_000_000_000),
    100_000,
    'the audit log keeps at most this many records (the oldest go first)',
  ),
  sweepMs: setting('FEP_AUDIT_SWEEP_MS', int(100, 86_400_000), 60_000, 'how often the audit-log retention is applied'),
});
export type AuditSettings = SettingsOf<typeof auditSettings>;
