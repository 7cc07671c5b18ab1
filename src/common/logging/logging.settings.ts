import { oneOf } from '../../config/setting.parsers.js';
import { defineArea, setting, type SettingsOf } from '../../config/setting.js';

/** Log lines: how many, and in which shape (JSON lines for files and collectors, plain text for a person at a terminal). */
export const loggingSettings = defineArea('logging', {
  level: setting(
    'FEP_LOG_LEVEL',
    oneOf('error', 'warn', 'info', 'debug'),
    'info',
    'lowest level written: `error`, `warn`, `info` or `debug`',
  ),
  format: setting(
    'FEP_LOG_FORMAT',
    oneOf('auto', 'json', 'pretty'),
    'auto',
    '`json`: one JSON object per line (pino); `pretty`: plain text; `auto`: pretty on a terminal, JSON otherwise (files, containers)',
  ),
});
export type LoggingSettings = SettingsOf<typeof loggingSettings>;
