import { SetMetadata } from '@nestjs/common';

export const ACCESS = 'fep:access';

/** Who may call a route, when not the admin user: `public` (anyone; IDS endpoints check a DAT instead) or `own` (the route's own guard decides). */
export type Access = 'public' | 'own';

/** No admin credentials: the self-description, the IDS endpoint (checked by its token), the dev DAPS. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, 'public' satisfies Access);

/** The route's own guard (`@UseGuards`) authenticates instead of the admin guard (TRUE's gateway and UC API). */
export const OwnAuthentication = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, 'own' satisfies Access);
