/**
 * Right-operand literals (XML Schema 1.1 part 2): xsd:duration, xsd:dateTimeStamp (a timezone is required),
 * xsd:double/decimal/integer. Each parser returns the value or a reason; nothing throws. Pure.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const DURATION = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export interface Duration {
  negative: boolean;
  years: number;
  months: number;
  days: number;
  /** Hours, minutes and seconds as milliseconds. */
  ms: number;
  text: string;
}

export function parseDuration(text: string): Parsed<Duration> {
  const m = DURATION.exec(text);
  if (m === null || text === 'P' || text.endsWith('T')) {
    return { ok: false, reason: `"${text}" is not an xsd:duration like P30D or PT1M30.5S` };
  }
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  return {
    ok: true,
    value: { negative: m[1] === '-', years: n(2), months: n(3), days: n(4) * 7 + n(5), ms: ((n(6) * 60 + n(7)) * 60 + n(8)) * 1000, text },
  };
}

/** `start + duration`, calendar-aware for years and months (UTC), as XSD adds durations to dateTimes. */
export function addDuration(start: Date, d: Duration): Date {
  const sign = d.negative ? -1 : 1;
  const out = new Date(start.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + sign * d.years, out.getUTCMonth() + sign * d.months, out.getUTCDate() + sign * d.days);
  return new Date(out.getTime() + sign * d.ms);
}

const DATE_TIME_STAMP = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function parseDateTimeStamp(text: string): Parsed<Date> {
  if (!DATE_TIME_STAMP.test(text)) {
    return { ok: false, reason: `"${text}" is not an xsd:dateTimeStamp (a date-time with a timezone, e.g. 2025-01-31T00:00:00Z)` };
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return { ok: false, reason: `"${text}" is not a valid date-time` };
  return { ok: true, value: date };
}

/** A non-negative whole number of uses, written as xsd:double ("5", "5.0"), decimal or integer. */
export function parseCount(text: string): Parsed<number> {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || !Number.isInteger(value)) {
    return { ok: false, reason: `"${text}" is not a whole number of uses` };
  }
  return { ok: true, value };
}
