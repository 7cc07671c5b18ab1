import type { Type } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';

/**
 * The request body Swagger UI's "Try it out" starts from: a whole body that validates as it is (swagger-ui would
 * otherwise fill every optional field with "string" and be refused). `test/swagger.e2e.ts` sends each one.
 */
export const BodyExample = (type: Type | undefined, value: Record<string, unknown>, description?: string): MethodDecorator =>
  ApiBody({
    ...(type === undefined ? { schema: { type: 'object' } } : { type }),
    examples: { example: { value } },
    ...(description ? { description } : {}),
  });

/** An IRI that looks like one this connector makes (examples that need one). */
export const EXAMPLE_ID = '00000000-0000-4000-8000-000000000000';
