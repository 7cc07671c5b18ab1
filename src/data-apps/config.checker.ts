/**
 * Reading an app's configuration (JSON) into its types: every problem is collected with its path
 * (`assets[1].plc.port`), so one 400 names them all. Missing optional values take their defaults. Pure.
 */
import type { ConfigProblem } from './data-app.contract.js';

type Json = Record<string, unknown>;

export class ConfigChecker {
  readonly problems: ConfigProblem[] = [];

  problem(field: string, reason: string): void {
    this.problems.push({ field, reason });
  }

  /** An object (or undefined when optional and absent); unknown keys are problems (a typo is not ignored). */
  object(field: string, value: unknown, keys: readonly string[], optional = false): Json | undefined {
    if ((value === undefined || value === null) && optional) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problem(field, 'must be an object');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) this.problem(join(field, key), `unknown setting (known: ${keys.join(', ')})`);
    }
    return value as Json;
  }

  array(field: string, value: unknown, min: number, max: number): unknown[] {
    if (!Array.isArray(value)) {
      this.problem(field, 'must be an array');
      return [];
    }
    if (value.length < min || value.length > max) this.problem(field, `must have ${min} to ${max} entries, has ${value.length}`);
    return value.slice(0, max);
  }

  number(field: string, value: unknown, min: number, max: number, fallback?: number): number {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.problem(field, value === undefined ? 'is required' : 'must be a number');
      return fallback ?? min;
    }
    if (value < min || value > max) this.problem(field, `must be between ${min} and ${max}, is ${value}`);
    return value;
  }

  int(field: string, value: unknown, min: number, max: number, fallback?: number): number {
    const n = this.number(field, value, min, max, fallback);
    if (!Number.isInteger(n)) this.problem(field, `must be a whole number, is ${n}`);
    return n;
  }

  string(field: string, value: unknown, pattern: RegExp, fallback?: string): string {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || !pattern.test(value)) {
      this.problem(field, value === undefined ? 'is required' : `must match ${pattern.source}`);
      return fallback ?? '';
    }
    return value;
  }

  oneOf<T extends string | number>(field: string, value: unknown, allowed: readonly T[], fallback?: T): T {
    if (value === undefined && fallback !== undefined) return fallback;
    if (!(allowed as readonly unknown[]).includes(value)) {
      this.problem(field, `must be one of ${allowed.join(', ')}${value === undefined ? '' : `, is ${JSON.stringify(value)}`}`);
      return fallback ?? allowed[0];
    }
    return value as T;
  }

  boolean(field: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.problem(field, 'must be true or false');
      return fallback;
    }
    return value;
  }
}

export function join(field: string, key: string | number): string {
  if (typeof key === 'number') return `${field}[${key}]`;
  return field === '' ? key : `${field}.${key}`;
}
