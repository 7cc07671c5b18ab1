/**
 * How an area of the connector declares its settings, next to its code: the environment variable, how it is
 * parsed, its default (a value, or derived from other settings) and what it means (the README's table is made
 * from these). `loadConfig` in the composition root reads every declared area at once and reports every bad
 * setting in one message.
 */
export interface ParseContext {
  /** Relative paths resolve against this directory (the working directory at boot). */
  cwd: string;
}

export type Parser<T> = (raw: string, context: ParseContext) => T;

/** What a derived default may look at: other settings (by variable name, parsed) and the boot context. */
export interface DeriveContext extends ParseContext {
  read: <T = unknown>(env: string) => T;
  /** Reports a problem (the setting is missing and nothing can stand in for it). */
  problem: (message: string) => void;
}

export type Derive<T> = (context: DeriveContext) => T;

export interface Setting<T> {
  readonly env: string;
  readonly parse: Parser<T>;
  /** Undefined: the setting is optional and stays undefined when unset. */
  readonly fallback?: { value: T } | { derive: Derive<T> };
  /** For the README: the default as words, and the meaning. */
  readonly doc: { default: string; meaning: string };
}

/** A setting with a default (a value or a derivation). */
export function setting<T>(env: string, parse: Parser<T>, fallback: T | Derive<T>, meaning: string, defaultDoc?: string): Setting<T> {
  const derived = typeof fallback === 'function';
  return {
    env,
    parse,
    fallback: derived ? { derive: fallback as Derive<T> } : { value: fallback },
    doc: { default: defaultDoc ?? (derived ? '(derived)' : describe(fallback)), meaning },
  };
}

/** A setting that stays undefined when unset. */
export function optional<T>(env: string, parse: Parser<T>, meaning: string, defaultDoc: string): Setting<T | undefined> {
  return { env, parse, doc: { default: defaultDoc, meaning } };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(',');
  return String(value);
}

export type SettingsMap = Record<string, Setting<unknown>>;
export type ValuesOf<S extends SettingsMap> = { -readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

export interface Area<N extends string = string, V = Record<string, unknown>> {
  readonly name: N;
  /** Injection token of the area's parsed values (provided by ConfigModule). */
  readonly token: symbol;
  readonly settings: SettingsMap;
  /** Rules across the area's settings, checked after each one parsed; each problem names a variable. */
  rules(values: V): string[];
}

export function defineArea<N extends string, S extends SettingsMap>(
  name: N,
  settings: S,
  rules: (values: ValuesOf<S>) => string[] = () => [],
): Area<N, ValuesOf<S>> {
  return { name, token: Symbol(`settings:${name}`), settings, rules };
}

/** The values an area declares, as its code receives them. */
export type SettingsOf<A> = A extends Area<string, infer V> ? V : never;

/** The whole configuration: one entry per area, keyed by the area's name. */
export type ConfigOf<A extends readonly Area<string, unknown>[]> = { [X in A[number] as X['name']]: SettingsOf<X> };

export interface SettingDoc {
  env: string;
  default: string;
  meaning: string;
}
