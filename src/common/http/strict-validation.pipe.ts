import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { ConnectorError } from '../connector.error.js';

const PLAIN = [String, Boolean, Number, Array, Object, Buffer, Date] as unknown[];

/**
 * class-validator's pipe, plus one rule it lacks: a body declared as a DTO must be a JSON object. Without it a
 * missing body, `null` or a text/plain body becomes an empty DTO, and a create route whose fields are all
 * optional writes a row from nothing.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: (errors) => invalid(errors) });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto =
      metadata.type === 'body' &&
      metadata.data === undefined &&
      typeof metadata.metatype === 'function' &&
      !PLAIN.includes(metadata.metatype);
    if (dto && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      const got = value === undefined ? 'no JSON body' : value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
      throw ConnectorError.badInput('body', `a JSON object is required (Content-Type: application/json), got ${got}`);
    }
    return super.transform(value, metadata);
  }
}

/** class-validator's findings as one BAD_INPUT naming each field (nested ones as `offer.ids:permission`). */
function invalid(errors: ValidationError[]): ConnectorError {
  const problems: { field: string; reason: string }[] = [];
  const walk = (list: ValidationError[], prefix: string): void => {
    for (const e of list) {
      const field = `${prefix}${e.property}`;
      for (const reason of Object.values(e.constraints ?? {})) problems.push({ field, reason });
      walk(e.children ?? [], `${field}.`);
    }
  };
  walk(errors, '');
  const first = problems[0] ?? { field: 'body', reason: 'is not valid' };
  return new ConnectorError('BAD_INPUT', problems.map((p) => p.reason).join('; '), first.field, problems);
}
