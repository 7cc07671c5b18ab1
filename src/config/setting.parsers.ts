/** Small pure parsers for environment values; each returns a value or throws a reason string. */
export type Parser<T> = (raw: string) => T;

export const text: Parser<string> = (raw) => {
  if (raw.trim() === '') throw 'must not be empty';
  return raw;
};

export const bool: Parser<boolean> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw `must be true or false, got "${raw}"`;
};

export function int(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw `must be a whole number, got "${raw}"`;
    const n = Number(raw);
    if (n < min || n > max) throw `must be between ${min} and ${max}, got ${n}`;
    return n;
  };
}

export function oneOf<T extends string>(...values: T[]): Parser<T> {
  return (raw) => {
    if (!(values as string[]).includes(raw)) throw `must be one of ${values.join(', ')}, got "${raw}"`;
    return raw as T;
  };
}

export const httpUrl: Parser<string> = (raw) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw `must be an absolute http(s) URL, got "${raw}"`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw `must be an http(s) URL, got "${raw}"`;
  return raw.replace(/\/+$/, '');
};

/** An IRI as the information model needs for `@id`: a scheme and no white space. */
export const iri: Parser<string> = (raw) => {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>"{}|\\^`]+$/.test(raw)) throw `must be an absolute IRI, got "${raw}"`;
  return raw;
};

export const databaseUrl: Parser<string> = (raw) => {
  if (!/^postgres(ql)?:\/\/.+/.test(raw)) throw 'must be a postgres:// URL (leave unset for the embedded SQLite file)';
  return raw;
};
