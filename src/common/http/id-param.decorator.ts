import { BadRequestException, Param, ParseUUIDPipe } from '@nestjs/common';

/** The `:id` path parameter, which must be a UUID; the error names the parameter. */
export const IdParam = (): ParameterDecorator =>
  Param('id', new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('path parameter id must be a UUID') }));
