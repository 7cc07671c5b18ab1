import type { ValueTransformer } from 'typeorm';

/** PostgreSQL returns bigint as a string; artifacts above 2 GiB still fit a JS number exactly. */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
