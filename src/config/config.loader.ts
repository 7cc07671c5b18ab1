import { BootError } from './boot.error.js';
import type { Area, ParseContext, Setting } from './setting.js';
import { SettingError } from './setting.parsers.js';

type Env = Record<string, string | undefined>;

/** Thrown once at boot with every bad setting, so an operator fixes them all in one go. */
export class ConfigValidationError extends BootError {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

/**
 * Reads every setting of every area from the environment. Derived defaults read other settings by their
 * variable name, in any area; each setting is parsed once. Problems are reported in declaration order, all at
 * once; a bad setting falls back to its default so the settings derived from it are still checked.
 */
export function loadAreas(
  env: Env,
  areas: readonly Area<string, unknown>[],
  context: ParseContext,
): Record<string, Record<string, unknown>> {
  const declared = new Map<string, { setting: Setting<unknown>; index: number }>();
  let index = 0;
  for (const area of areas) {
    for (const setting of Object.values(area.settings)) {
      if (declared.has(setting.env)) throw new Error(`setting ${setting.env} is declared twice`);
      declared.set(setting.env, { setting, index: index++ });
    }
  }
  const problems: { index: number; message: string }[] = [];
  const values = new Map<string, unknown>();
  const resolving = new Set<string>();

  const read = (name: string): unknown => {
    if (values.has(name)) return values.get(name);
    const entry = declared.get(name);
    if (entry === undefined) throw new Error(`a derived default reads ${name}, which no area declares`);
    if (resolving.has(name)) throw new Error(`the defaults of ${[...resolving].join(', ')} derive from each other`);
    resolving.add(name);
    const { setting } = entry;
    const fallback = (): unknown => {
      if (setting.fallback === undefined) return undefined;
      if ('value' in setting.fallback) return setting.fallback.value;
      return setting.fallback.derive({
        ...context,
        read: read as never,
        problem: (message) => problems.push({ index: entry.index, message }),
      });
    };
    let value: unknown;
    const raw = env[name];
    if (raw === undefined || raw === '') {
      value = fallback();
    } else {
      try {
        value = setting.parse(raw, context);
      } catch (error) {
        if (!(error instanceof SettingError)) throw error;
        problems.push({ index: entry.index, message: `${name} ${error.message}` });
        value = fallback();
      }
    }
    resolving.delete(name);
    values.set(name, value);
    return value;
  };

  const config: Record<string, Record<string, unknown>> = {};
  for (const area of areas) {
    const parsed: Record<string, unknown> = {};
    for (const [key, setting] of Object.entries(area.settings)) parsed[key] = read(setting.env);
    config[area.name] = parsed;
  }
  for (const area of areas) for (const message of area.rules(config[area.name])) problems.push({ index: Number.MAX_SAFE_INTEGER, message });
  if (problems.length > 0) throw new ConfigValidationError(problems.sort((a, b) => a.index - b.index).map((p) => p.message));
  return config;
}
