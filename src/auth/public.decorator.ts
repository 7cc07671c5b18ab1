import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'fep:isPublic';
export const IS_DATA_APP = 'fep:isDataApp';

/** Marks a route that needs no admin credentials (the self-description, IDS endpoints that check a DAT instead). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Marks a route for data apps (TRUE's /proxy and /incoming-data-app/*): the data-app user, as TRUE's idsUser. */
export const DataAppAuth = (): MethodDecorator & ClassDecorator => SetMetadata(IS_DATA_APP, true);

export const IS_LOOPBACK_INTERNAL = 'fep:isLoopbackInternal';

/**
 * Marks an internal API that TRUE runs as a separate container reachable only inside its network (the Platoon
 * usage-control app): with FEP_PLATOON_UC_API=loopback, calls from 127.0.0.1/::1 need no credentials.
 */
export const LoopbackInternal = (): MethodDecorator & ClassDecorator => SetMetadata(IS_LOOPBACK_INTERNAL, true);
