import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'fep:isPublic';

/** Marks a route that needs no admin credentials (the self-description, IDS endpoints that check a DAT instead). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
