import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';

export const ACCESS = 'fep:access';

/** Who may call a route, when not the admin user: `public` (anyone; IDS endpoints check a DAT instead) or `own` (the route's own guard decides). */
export type Access = 'public' | 'own';

/** No admin credentials: the self-description, the IDS endpoint (checked by its token), the dev DAPS. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, 'public' satisfies Access);

/** The route's own guard (`@UseGuards`) authenticates instead of the admin guard (TRUE's gateway and UC API). */
export const OwnAuthentication = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, 'own' satisfies Access);

/** Where the admin guard leaves the user a request authenticated as. */
export const ADMIN_USER = Symbol('fep:adminUser');

/** The admin user the request authenticated as (set by the admin guard once it checked the credentials). */
export const AdminUser = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<Record<symbol, unknown>>();
  const user = request[ADMIN_USER];
  return typeof user === 'string' ? user : 'admin';
});
